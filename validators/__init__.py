"""The data layer of Preparedness Handbook: load, validate and check the policy YAML."""
