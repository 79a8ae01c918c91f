"""The Handbook a build renders, loaded once, and its public-profile redaction.

The public profile is made by redacting the data itself, before any view sees it: a view cannot
leak a value it was never given. What is redacted is declared on the models: every field marked
``Private(...)`` (validators/models/common.py) is blanked, or its object dropped, by walking the
model annotations, as the Handbook resolves ``RefTo`` references. For the sample: people's
contacts are removed, PINs and contract or policy numbers blanked, partner contact values and
non-public channel numbers dropped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from preparedness_handbook.macros.render.partials import override_dir
from preparedness_handbook.validators.calltree import CallTree, build_call_tree
from preparedness_handbook.validators.engine import validate
from preparedness_handbook.validators.handbook import Handbook
from preparedness_handbook.validators.models.common import Private
from preparedness_handbook.validators.models.organization import Terms

PROFILES = ("internal", "public")


@dataclass
class BuildContext:
    """Everything a view needs: the (possibly redacted) data, the profile and the build facts."""

    hb: Handbook
    profile: str
    tree: CallTree
    built: dt.datetime
    version: str
    pdf: bool = True
    offline: bool = False  # whether the build makes the offline copy (handbook build does, by default)
    # `handbook build --protect`: the protected (encrypted internal) edition is published at
    # protected/ beside the site. The public pages link to it; the internal binders' covers carry
    # a QR code to its hosted address (protected_url, when the organization has a site_url).
    protected: bool = False
    protected_url: str | None = None
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)  # work done once per build (the print plan)

    @property
    def public(self) -> bool:
        return self.profile == "public"

    @property
    def today(self) -> dt.date:
        return self.hb.today

    @property
    def review_by(self) -> dt.date:
        return self.today + self.hb.organization.review.binder_valid_for

    @property
    def terms(self) -> Terms:
        """The organization's words for the lead role, the review, the call tree … (with defaults)."""
        return self.hb.organization.terms

    @cached_property
    def partials(self) -> Path | None:
        """The organization's partials folder (``partials/`` beside ``data/``), if it has one."""
        return override_dir(Path(self.hb.data_dir))


# --- redaction: derived from the Private marks ----------------------------------------------

class _Drop:
    """What a value redacts to when nothing can stand in for it: its object leaves its list."""

    def __repr__(self) -> str:
        return "DROP"


DROP: Any = _Drop()

# A redactor takes a value and the model object that holds its field, and returns the value to
# keep: the same object when nothing in it is private, a copy without the private values, or DROP.
_Redactor = Callable[[Any, Any], Any]
_MODEL_REDACTORS: dict[type, Any] = {}
_PLANNING = object()


def private_marker(metadata: typing.Iterable[Any]) -> Private | None:
    return next((m for m in metadata if isinstance(m, Private)), None)


def markers_in(annotation: Any) -> list[Private]:
    """The Private marks written in one field's annotation (not those of the models it holds)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return []
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = args
        return [m for m in meta if isinstance(m, Private)] + markers_in(base)
    return [m for arg in args for m in markers_in(arg)]


def field_type(info: Any) -> Any:
    """A field's annotation with its own metadata put back: pydantic moves the ``Private`` of
    ``pin: Annotated[Line | None, Private(...)]`` from ``.annotation`` to ``.metadata``."""
    return typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


def _redactor(annotation: Any) -> _Redactor | None:
    """How to redact a value of this annotation; None if nothing in it can be private.

    Each model is planned once (like the Handbook's walk of ``RefTo`` annotations) and the plan
    reused for every object.
    """
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in _MODEL_REDACTORS:
            _MODEL_REDACTORS[annotation] = _PLANNING
            try:
                _MODEL_REDACTORS[annotation] = _model_redactor(annotation)
            except BaseException:
                del _MODEL_REDACTORS[annotation]
                raise
        plan = _MODEL_REDACTORS[annotation]
        if plan is _PLANNING:
            # A model nested in itself: a plan made before it is complete would miss the marks
            # below, so refuse it rather than pass private values through.
            raise TypeError(f"cannot redact {annotation.__name__}: it holds itself")
        return plan
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        marker, inner = private_marker(meta), _redactor(base)
        if marker is None:
            return inner

        def private(value: Any, owner: Any) -> Any:
            if value is None or value == "" or value == [] or not marker.applies(owner):
                return value if inner is None or value is None else inner(value, owner)
            return DROP
        return private
    if origin in (typing.Union, types.UnionType):
        options = [_redactor(arg) for arg in typing.get_args(annotation) if arg is not type(None)]
        live = [o for o in options if o is not None]
        if not live:
            return None
        if len(live) > 1:
            raise TypeError(f"cannot redact {annotation!r}: more than one of its types holds a Private mark")
        (inner,) = live

        def optional(value: Any, owner: Any) -> Any:
            if value is None:
                return None
            out = inner(value, owner)
            return None if out is DROP and type(None) in typing.get_args(annotation) else out
        return optional
    if origin is list:
        (item,) = typing.get_args(annotation)
        inner = _redactor(item)
        if inner is None:
            return None

        def items(value: Any, owner: Any) -> Any:
            out = [inner(v, owner) for v in value]
            if all(a is b for a, b in zip(out, value)):
                return value
            return [v for v in out if v is not DROP]
        return items
    if origin is dict:
        kt, vt = typing.get_args(annotation)
        if _redactor(kt) is not None:
            raise TypeError(f"cannot redact {annotation!r}: a key cannot be private; mark the whole mapping")
        inner = _redactor(vt)
        if inner is None:
            return None

        def mapping(value: Any, owner: Any) -> Any:
            out = {k: inner(v, owner) for k, v in value.items()}
            if all(out[k] is value[k] for k in value):
                return value
            return {k: v for k, v in out.items() if v is not DROP}
        return mapping
    if any(_redactor(arg) is not None for arg in typing.get_args(annotation)):
        raise TypeError(f"cannot redact inside {annotation!r}: use a list, or mark the whole field")
    return None


def _model_redactor(model: type[BaseModel]) -> _Redactor | None:
    fields = []
    for name, info in model.model_fields.items():
        ftype = field_type(info)
        for marker in markers_in(ftype):
            attr = marker.unless[0] if marker.unless else None
            if attr is not None and attr not in model.model_fields and not hasattr(model, attr):
                raise TypeError(f"{model.__name__}.{name}: {marker!r} names {attr!r}, which {model.__name__} does not have")
        walk = _redactor(ftype)
        if walk is not None:
            fields.append((name, walk, info))
    if not fields:
        return None

    def redact_model(value: Any, owner: Any = None) -> Any:
        update = {}
        for name, walk, info in fields:
            old = getattr(value, name)
            new = walk(old, value)
            if new is DROP:
                if info.is_required():
                    return DROP  # a required value that is private takes its object with it
                new = info.get_default(call_default_factory=True)
            if new is not old:
                update[name] = new
        return value.model_copy(update=update) if update else value
    return redact_model


def redact_value(value: Any) -> Any:
    """``value`` (a model object or a list of them) without its private values."""
    if isinstance(value, BaseModel):
        walk = _redactor(type(value))
        return value if walk is None else walk(value, None)
    if isinstance(value, list) and any(isinstance(v, BaseModel) for v in value):
        out = [redact_value(v) for v in value]
        return value if all(a is b for a, b in zip(out, value)) else [v for v in out if v is not DROP]
    return value


def redact(hb: Handbook) -> Handbook:
    """A copy of the Handbook safe for the open internet: every value marked ``Private`` gone.

    Every model of the Handbook is walked by its annotations: a marked value is blanked to its
    field's default (``None`` or ``""``), or, when its field is required, its object leaves the
    list that holds it. An object with nothing private in it is kept as it is.
    """
    update = {}
    for f in dataclasses.fields(hb):
        if not f.repr:
            continue  # positions and the objects kept for them: dropped below
        old = getattr(hb, f.name)
        new = redact_value(old)
        if new is DROP:
            raise TypeError(f"the Handbook's {f.name} is private as a whole; it cannot be redacted")
        if new is not old:
            update[f.name] = new
    public = dataclasses.replace(hb, **update)
    public.forget_positions()  # positions are keyed by the original objects, not these copies
    return public


def git_version(root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "describe", "--always", "--dirty", "--abbrev=10"],
            capture_output=True, text=True, timeout=5, check=False,
        )
        return out.stdout.strip() or "unversioned"
    except (OSError, subprocess.SubprocessError):
        return "unversioned"


def make_context(hb: Handbook, profile: str = "internal", built: dt.datetime | None = None, version: str | None = None) -> BuildContext:
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}")
    data = redact(hb) if profile == "public" else hb
    return BuildContext(
        hb=data,
        profile=profile,
        tree=build_call_tree(data),
        built=built or dt.datetime.now().astimezone().replace(microsecond=0),
        version=version or git_version(Path(hb.data_dir)),
    )


_CACHE: dict[tuple, BuildContext] = {}


def context_key(data_dir: Path, profile: str) -> tuple[str, str]:
    return (str(Path(data_dir).resolve()), profile)


def data_stamp(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when a data file is edited, added or removed: each file's name, size and time."""
    files = []
    for path in sorted(Path(data_dir).rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            info = path.stat()
            files.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(files)


def preset(ctx: BuildContext, data_dir: Path) -> None:
    """Hand an already-validated context to the MkDocs run (the build command does): the plugin
    and the macros use it while the data files stay as they were."""
    _CACHE.clear()
    # Resolved, as the plugin stamps it: with `--data data` the two stamps never matched, and
    # every MkDocs run validated the data again into a context of its own.
    ctx._stamp = data_stamp(Path(data_dir).resolve())  # type: ignore[attr-defined]
    _CACHE[context_key(data_dir, ctx.profile)] = ctx


def peek(data_dir: Path, profile: str) -> BuildContext | None:
    """The context preset for this data folder and profile, if any."""
    return _CACHE.get(context_key(data_dir, profile))


def context_for(data_dir: Path, profile: str, today: dt.date | None = None) -> BuildContext:
    """The context the macros render: the one the plugin (or the build) preset, else the data
    read and checked now (a page rendered outside a MkDocs run)."""
    cached = peek(data_dir, profile)
    if cached is not None:
        return cached
    result = validate(Path(data_dir), today)
    if result.handbook is None or result.errors:
        lines = "\n".join(f.text for f in result.errors[:20])
        raise RuntimeError(f"the data has errors; run `handbook validate`:\n{lines}")
    ctx = make_context(result.handbook, profile)
    preset(ctx, data_dir)
    return ctx
