"""The handbook command: validate, build, serve, schema, report, new."""
