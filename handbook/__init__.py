"""The handbook command: validate, build, serve, schema, report, new."""

from macros._ownpath import ensure_own_validators

ensure_own_validators()
