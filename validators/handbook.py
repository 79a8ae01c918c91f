"""The Handbook aggregate: every data file loaded, validated, ids unique and references resolved."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .cache import Cache
from .findings import Finding, Level, sort_findings
from .loader import Loc, Source, examine, parse_bytes, read_file, render_loc
from .models import FILES, POSTMORTEM_DIR, POSTMORTEM_MODEL
from .models.common import RefTo, known_number_types, number_type
from .models.communications import CallTree, Channel, Enquiry, Template
from .models.departments import Department
from .models.drills import Drill, Requirement
from .models.escalation import Chain
from .models.forms import Form
from .models.incidents import Incident
from .models.organization import Dependency, Organization
from .models.partners import Notification, Partner
from .models.people import Person
from .models.postmortems import Postmortem
from .models.roles import Role
from .models.severity import Level as SeverityLevel
from .models.vocab import BUILTIN, KINDS, builtin
from .schema_errors import findings_from

# collection kind → (file, path of the list inside it)
COLLECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "people": ("people.yaml", ("people",)),
    "departments": ("departments.yaml", ("departments",)),
    "roles": ("roles.yaml", ("roles",)),
    "levels": ("severity.yaml", ("levels",)),
    "chains": ("escalation.yaml", ("chains",)),
    "channels": ("communications.yaml", ("channels",)),
    "templates": ("communications.yaml", ("templates",)),
    "partners": ("partners.yaml", ("partners",)),
    "drills": ("drills.yaml", ("drills",)),
    "incidents": ("incidents.yaml", ("incidents",)),
    "forms": ("forms.yaml", ("forms",)),
    "dependencies": ("organization.yaml", ("organization", "dependencies")),
    # The values organization.yaml adds to the lists an organization may extend (models/vocab.py).
    **{kind: ("organization.yaml", ("organization", "vocabulary", name)) for name, (kind, _, _) in BUILTIN.items()},
}


@dataclass
class Origin:
    source: Source
    loc: Loc


@dataclass
class Handbook:
    """Validated policy data. Objects are immutable; look-ups by id are ready to use."""

    data_dir: Path
    today: dt.date
    organization: Organization
    people: list[Person]
    departments: list[Department]
    roles: list[Role]
    levels: list[SeverityLevel]
    chains: list[Chain]
    channels: list[Channel]
    hotline_id: str
    bridge_id: str
    call_tree: CallTree | None
    templates: list[Template]
    partners: list[Partner]
    notifications: list[Notification]
    drills: list[Drill]
    requirements: list[Requirement]
    incidents: list[Incident]
    postmortems: list[Postmortem]
    forms: list[Form] = field(default_factory=list)
    without_call_tree: str = ""
    enquiries: list[Enquiry] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    origins: dict[int, Origin] = field(default_factory=dict, repr=False)
    _keep: list[Any] = field(default_factory=list, repr=False)
    # Loaded files whose objects are not in `origins` yet: walked on the first where(), since
    # valid data (the usual case) never asks for a position.
    _unplaced: list[tuple[Any, Source]] = field(default_factory=list, repr=False)

    # --- look-ups -------------------------------------------------------------------------
    def __post_init__(self) -> None:
        self.index: dict[str, dict[str, Any]] = {
            "people": {p.id: p for p in self.people},
            "departments": {d.id: d for d in self.departments},
            "roles": {r.id: r for r in self.roles},
            "levels": {lv.id: lv for lv in self.levels},
            "chains": {c.id: c for c in self.chains},
            "channels": {c.id: c for c in self.channels},
            "templates": {t.id: t for t in self.templates},
            "partners": {p.id: p for p in self.partners},
            "drills": {d.id: d for d in self.drills},
            "incidents": {i.id: i for i in self.incidents},
            "postmortems": {p.id: p for p in self.postmortems},
            "forms": {f.id: f for f in self.forms},
            "dependencies": {d.id: d for d in self.organization.dependencies},
        }
        vocab = self.organization.vocabulary
        for name, (kind, _, values) in BUILTIN.items():
            self.index[kind] = {v: None for v in values} | {t.id: t for t in getattr(vocab, name)}
        self.levels = sorted(self.levels, key=lambda lv: lv.rank)

    def person(self, pid: str) -> Person:
        return self.index["people"][pid]

    def department(self, did: str) -> Department:
        return self.index["departments"][did]

    def role(self, rid: str) -> Role:
        return self.index["roles"][rid]

    def level(self, lid: str) -> SeverityLevel:
        return self.index["levels"][lid]

    def chain(self, cid: str) -> Chain:
        return self.index["chains"][cid]

    def channel(self, cid: str) -> Channel:
        return self.index["channels"][cid]

    def partner(self, pid: str) -> Partner:
        return self.index["partners"][pid]

    def form(self, fid: str) -> Form:
        return self.index["forms"][fid]

    def dependency(self, did: str) -> Dependency:
        return self.index["dependencies"][did]

    def means(self, kind: str, value: str) -> str | None:
        """What a value of an extensible list counts as where the rules and pages act on it: a
        built-in value itself, a declared one the built-in value its ``like:`` names (or None)."""
        if value in builtin(kind):
            return value
        term = self.index[kind].get(value)
        return term.like if term is not None else None

    def term_name(self, kind: str, value: str) -> str | None:
        """The name organization.yaml gives a value it declares, or None for a built-in value."""
        term = self.index[kind].get(value)
        return term.name if term is not None else None

    @property
    def hotline(self) -> Channel:
        return self.channel(self.hotline_id)

    @property
    def bridge(self) -> Channel:
        return self.channel(self.bridge_id)

    @property
    def incident_manager(self) -> Role | None:
        return next((r for r in self.roles if r.incident_manager), None)

    @property
    def critical_dependencies(self) -> list[Dependency]:
        return [d for d in self.organization.dependencies if d.critical]

    # --- positions for findings -------------------------------------------------------------
    def where(self, obj: Any, *subpath: str | int) -> tuple[str, int, int, str]:
        """File, line, column and field path of a model object (or one of its fields)."""
        if self._unplaced:
            self._place()
        origin = self.origins.get(id(obj))
        if origin is None:
            return ("", 1, 1, "")
        loc = origin.loc + tuple(subpath)
        line, col = origin.source.pos(loc)
        return origin.source.display, line, col, render_loc(loc)

    def forget_positions(self) -> None:
        """Let go of the loaded files and their positions, kept only to place findings.

        A build calls this once the data is valid: it reports no more findings, and the raw
        values with the line and column of each (about 80 MB for 5,000 people) would otherwise
        stay in memory, shared by every process that renders a PDF. ``where()`` then answers
        with no position.
        """
        self.origins, self._keep, self._unplaced = {}, [], []

    def _place(self) -> None:
        unplaced, self._unplaced = self._unplaced, []
        for model_obj, source in unplaced:
            _walk_models(model_obj, (), self.origins, source, self._keep)

    def finding(self, obj: Any, code: str, level: Level, message: str, hint: str = "", at: tuple = ()) -> Finding:
        file, line, col, path = self.where(obj, *at)
        return Finding(file, line, col, code, level, path, message, hint)


@dataclass
class LoadResult:
    handbook: Handbook | None
    findings: list[Finding]
    files: int


def _display(path: Path, data_dir: Path) -> str:
    """The path as the user knows it: relative to the working folder, a link's own name kept."""
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def _inside(path: Path, folder: Path) -> bool:
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))
    except (OSError, ValueError):
        return False


def _walk_models(obj: Any, loc: Loc, origins: dict[int, Origin], source: Source, keep: list) -> None:
    if isinstance(obj, BaseModel):
        origins[id(obj)] = Origin(source, loc)
        keep.append(obj)
        for name in _nested_fields(type(obj)):
            _walk_models(getattr(obj, name), loc + (name,), origins, source, keep)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            _walk_models(item, loc + (i,), origins, source, keep)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _walk_models(v, loc + (k,), origins, source, keep)


_NESTED: dict[type, list[str]] = {}


def _nested_fields(model: type[BaseModel]) -> list[str]:
    """The fields of a model that can hold another model: the only ones a position walk enters."""
    names = _NESTED.get(model)
    if names is None:
        def holds_model(annotation: Any) -> bool:
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                return True
            return any(holds_model(a) for a in typing.get_args(annotation))

        names = _NESTED[model] = [n for n, info in model.model_fields.items() if holds_model(info.annotation)]
    return names


def _refs(annotation: Any, value: Any, loc: Loc, is_key: bool = False) -> Iterator[tuple[RefTo, str, Loc, bool]]:
    """Every reference inside ``value`` as declared by RefTo markers on its annotation."""
    walk = _plan(annotation)
    return walk(value, loc, is_key) if walk is not None else iter(())


_Walk = Callable[[Any, Loc, bool], Iterator[tuple[RefTo, str, Loc, bool]]]
_MODEL_PLANS: dict[type, _Walk | None] = {}


def _plan(annotation: Any) -> _Walk | None:
    """A walker for the references inside values of this annotation; None if none can occur.

    Reading the annotations (typing.get_origin, rebuilding Annotated[...]) again for every value
    cost more than loading the people file; each model is planned once and the plan reused.
    """
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in _MODEL_PLANS:
            _MODEL_PLANS[annotation] = None  # a model nested in itself would stop here
            _MODEL_PLANS[annotation] = _model_plan(annotation)
        return _MODEL_PLANS[annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        marker = next((m for m in meta if isinstance(m, RefTo)), None)
        inner = _plan(base)
        if marker is None:
            return inner

        def annotated(value: Any, loc: Loc, is_key: bool = False) -> Iterator:
            if isinstance(value, str):
                yield marker, value, loc, is_key
            elif inner is not None:
                yield from inner(value, loc, is_key)
        return annotated
    if origin in (typing.Union, types.UnionType):
        # Every member that can hold a reference: `X | None`, or a sentence or a step (an
        # action, models/departments.py); each walker looks only at values of its own shape.
        inners = [w for a in typing.get_args(annotation) if a is not type(None) and (w := _plan(a)) is not None]
        if not inners:
            return None

        def optional(value: Any, loc: Loc, is_key: bool = False) -> Iterator:
            if value is not None:
                for inner in inners:
                    yield from inner(value, loc, is_key)
        return optional
    if origin is list:
        (item,) = typing.get_args(annotation)
        inner = _plan(item)
        if inner is None:
            return None

        def items(value: Any, loc: Loc, is_key: bool = False) -> Iterator:
            if isinstance(value, list):
                for i, v in enumerate(value):
                    yield from inner(v, loc + (i,))
        return items
    if origin is dict:
        kt, vt = typing.get_args(annotation)
        keys, values = _plan(kt), _plan(vt)
        if keys is None and values is None:
            return None

        def mapping(value: Any, loc: Loc, is_key: bool = False) -> Iterator:
            if isinstance(value, dict):
                for k, v in value.items():
                    if keys is not None:
                        yield from keys(k, loc + (k,), True)
                    if values is not None:
                        yield from values(v, loc + (k,))
        return mapping
    return None


def _model_plan(model: type[BaseModel]) -> _Walk | None:
    fields = []
    for name, info in model.model_fields.items():
        # pydantic moves a field's own Annotated[...] metadata (the RefTo marker of
        # `owner: PersonRef`) from .annotation to .metadata; put it back.
        field_type = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        walk = _plan(field_type)
        if walk is not None:
            fields.append((name, walk))
    if not fields:
        return None

    def fields_of(value: Any, loc: Loc, is_key: bool = False) -> Iterator:
        if isinstance(value, BaseModel):
            for name, walk in fields:
                yield from walk(getattr(value, name), loc + (name,))
        elif isinstance(value, dict):
            # A dict is the raw data of a file that did not fit its model.
            for name, walk in fields:
                if name in value:
                    yield from walk(value[name], loc + (name,))
    return fields_of


def _file_ids(name: str, data: Any) -> tuple[list[list[Any]], list[str]]:
    """The ids as written in one file's raw data, ``[kind, path, id]`` each, in file order, and
    the collections of the file whose list could be read (every item a mapping)."""
    found: list[list[Any]] = []
    readable: list[str] = []
    for kind, (fname, path) in COLLECTIONS.items():
        if fname != name:
            continue
        items: Any = data
        for part in path:
            items = items.get(part) if isinstance(items, dict) else None
        if isinstance(items, list):
            if all(isinstance(item, dict) for item in items):
                readable.append(kind)
            for i, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    found.append([kind, [*path, i, "id"], item["id"]])
    if name.startswith(POSTMORTEM_DIR + "/") and isinstance(data, dict) and isinstance(data.get("id"), str):
        found.append(["postmortems", ["id"], data["id"]])
    return found, readable


def _raw_ids(
    sources: dict[str, Source], per_file: dict[str, tuple[list[list[Any]], list[str]]],
) -> tuple[dict[str, dict[str, tuple[Source, Loc]]], list[Finding], set[str]]:
    """Ids present in the raw data, per collection, with duplicates reported.

    Also returns the collections whose list could be read: references into the others are
    not checked, since every id would look unknown.
    """
    ids: dict[str, dict[str, tuple[Source, Loc]]] = {k: {} for k in COLLECTIONS}
    ids["postmortems"] = {}
    findings: list[Finding] = []
    readable: set[str] = set()

    def add(kind: str, ident: str, source: Source, loc: Loc) -> None:
        if ident in ids[kind]:
            first_source, first_loc = ids[kind][ident]
            first_line = first_source.pos(first_loc)[0]
            where = f"line {first_line}" if first_source is source else f"{first_source.display}:{first_line}"
            line, col = source.pos(loc)
            findings.append(Finding(
                source.display, line, col, "HB201", "error", render_loc(loc),
                f"duplicate id '{ident}' (first at {where})", "give each entry its own id",
            ))
            return
        ids[kind][ident] = (source, loc)

    # Each collection's file in the order of COLLECTIONS, then the postmortems: the first of two
    # equal ids is the one a duplicate points back to.
    names = [fname for fname, _ in COLLECTIONS.values()]
    names = list(dict.fromkeys(names)) + [n for n in sources if n.startswith(POSTMORTEM_DIR + "/")]
    for kind in [*COLLECTIONS, "postmortems"]:
        for name in names:
            if name not in sources:
                continue
            found, file_readable = per_file[name]
            if kind in file_readable:
                readable.add(kind)
            for k, loc, ident in found:
                if k == kind:
                    add(kind, ident, sources[name], tuple(loc))
    return ids, findings, readable


def nearest_first(value: str, candidates: list[str]) -> list[str]:
    """The candidates, the one most like ``value`` first (the order of the data among equals)."""
    def score(c: str) -> float:
        return difflib.SequenceMatcher(None, value.lower(), c.lower()).ratio()
    return sorted(candidates, key=score, reverse=True)


def _ref_hint(value: str, candidates: list[str], kind: str, fname: str) -> str:
    """What to write instead of an unknown id or value: the allowed ones, nearest first."""
    ordered = nearest_first(value, candidates)
    close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    shown = ", ".join(ordered[:8]) + (" …" if len(ordered) > 8 else "")
    if kind in KINDS:
        start = f"did you mean '{close[0]}'? " if close else ""
        return (f"{start}write one of: {shown}; or add it under vocabulary.{KINDS[kind]} in organization.yaml "
                "with the name the pages use")
    if close:
        return f"did you mean '{close[0]}'?"
    return f"add it to {fname}" + (f", or use one of: {shown}" if candidates else "")


def _nouns() -> dict[str, str]:
    from .models import common

    return {v.kind: v.noun for v in (
        typing.get_args(getattr(common, n))[2] for n in dir(common)
        if n.endswith("Ref") and n not in ("Ref",) and typing.get_origin(getattr(common, n)) is typing.Annotated
    )}


PLACEHOLDER = "TODO:"


def placeholders(source: Source) -> list[Finding]:
    """Every value still written as a placeholder ("TODO: full name"), as an error at its line:
    the starter data of `handbook init` is not a policy until each is replaced."""
    found: list[Finding] = []

    def walk(node: Any, loc: Loc) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*loc, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*loc, i))
        elif isinstance(node, str) and node.startswith(PLACEHOLDER):
            line, col = source.pos(loc)
            what = node[len(PLACEHOLDER):].strip() or "the value this field asks for"
            found.append(Finding(source.display, line, col, "HB106", "error", render_loc(loc),
                                 f"still a placeholder: {node!r}", f"write {what}"))

    walk(source.data, ())
    return found


def load_handbook(data_dir: Path, today: dt.date | None = None, cache: Cache | None = None) -> LoadResult:
    """Load every data file; return the Handbook (None if anything is wrong) and all findings.

    With a ``cache``, a file whose bytes (and everything else its result depends on) were seen
    before is not parsed or checked again: its checked model is read back from the cache.
    """
    today = today or dt.date.today()
    if cache is not None and _inside(cache.directory, data_dir):
        cache = None  # data/ holds the policy under review, never the tool's own files
    findings: list[Finding] = []
    sources: dict[str, Source] = {}
    models: dict[str, BaseModel] = {}
    expected: list[tuple[str, Path, type[BaseModel], bool]] = [
        (name, data_dir / name, model, required) for name, (model, required) in FILES.items()
    ]
    pm_dir = data_dir / POSTMORTEM_DIR
    pm_readable = True
    if os.path.lexists(pm_dir):
        # A link to a folder outside data/ (or a loop) is refused like a file; its files are not listed.
        entry = examine(pm_dir, data_dir, folder=True)
        if entry.target is None:
            findings.append(Finding(_display(pm_dir, data_dir), 1, 1, "HB001", "error", "", entry.message, entry.hint))
            pm_readable = False  # references to postmortems cannot be checked
        else:
            for p in sorted(pm_dir.iterdir()):
                if p.suffix in (".yaml", ".yml") and not p.name.startswith("_"):
                    expected.append((f"{POSTMORTEM_DIR}/{p.name}", p, POSTMORTEM_MODEL, True))
    known = {name for name, *_ in expected}
    for p in sorted(data_dir.glob("*.y*ml")) if data_dir.is_dir() else []:
        if p.name not in known:
            close = difflib.get_close_matches(p.name, list(FILES), n=1)
            findings.append(Finding(
                _display(p, data_dir), 1, 1, "HB009", "warning", "", "this file is not read by the handbook",
                f"did you mean '{close[0]}'?" if close else f"the data files are: {', '.join(FILES)}",
            ))

    region = "US"
    per_file: dict[str, tuple[list[list[Any]], list[str]]] = {}
    for name, path, model, required in expected:
        display = _display(path, data_dir)
        if not os.path.lexists(path):  # a broken link exists, and read_file says what it is
            if required:
                findings.append(Finding(
                    display, 1, 1, "HB010", "error", "", "required data file is missing",
                    f"create {name}; the data reference lists its fields",
                ))
            continue
        raw, refused = read_file(path, display, data_dir)
        if raw is None:
            findings.extend(refused)
            continue
        key = cache.key(name, raw, region) if cache is not None else ""
        hit = cache.get(key) if cache is not None else None
        if hit is not None:
            region = hit.region or region
            try:
                models[name] = model.model_validate_json(hit.model_json, context={"region": region, "checked": True})
            except ValidationError:
                hit = None  # written by other code with the same digest: check the file instead
            else:
                sources[name] = Source(path, display, None, fill=cache.positions_filler(key, raw))
                per_file[name] = (hit.ids, hit.readable)
                known_number_types(hit.phone_types)
                continue
        source, load_findings = parse_bytes(raw, path, display)
        findings.extend(load_findings)
        if source is None or any(f.level == "error" for f in load_findings) or source.data is None:
            continue
        sources[name] = source
        per_file[name] = _file_ids(name, source.data)
        own_region = None
        if name == "organization.yaml" and isinstance(source.data, dict):
            org = source.data.get("organization")
            if isinstance(org, dict) and isinstance(org.get("phone_region"), str):
                region = own_region = org["phone_region"].upper()
        # What `handbook init` wrote and nobody has replaced yet. A value can start with the
        # placeholder only if the text holds it, or an escape that spells it.
        held = placeholders(source) if PLACEHOLDER.encode() in raw or b"\\" in raw else []
        findings.extend(held)
        at = {f.path for f in held}
        phones: set[str] = set()
        try:
            models[name] = model.model_validate(source.data, context={"region": region, "phones": phones})
        except ValidationError as exc:  # a placeholder that is not a valid value is said once, as one
            findings.extend(f for f in findings_from(exc, model, source) if f.path not in at)
            continue
        if cache is not None and not load_findings and not held:
            cache.put(key, models[name].model_dump_json(exclude_unset=True).encode(), *per_file[name],
                      own_region, {e164: number_type(e164) for e164 in sorted(phones)})
            cache.asked(key, source)

    ids, dup_findings, readable = _raw_ids(sources, per_file)
    for kind in KINDS:  # the built-in values, and the list is checked whenever organization.yaml was read
        ids[kind] = {v: (None, ()) for v in builtin(kind)} | ids[kind]
        if "organization.yaml" in sources:
            readable.add(kind)
    for name, (_, required) in FILES.items():  # an optional file left out holds none: its ids are known
        if not required and not os.path.lexists(data_dir / name):
            readable.update(kind for kind, (fname, _) in COLLECTIONS.items() if fname == name)
    if pm_readable and all(name in sources for name, *_ in expected if name.startswith(POSTMORTEM_DIR + "/")):
        readable.add("postmortems")
    findings.extend(dup_findings)
    nouns = _nouns()
    # A file that does not fit its model still has its references checked, on the raw data, so
    # that one run reports everything; a value that already has a finding is left to that one.
    model_of = {name: model for name, _, model, _ in expected}
    flagged = {(f.file, f.path) for f in findings}
    checked = [(name, type(m), m) for name, m in models.items()]
    checked += [(name, model_of[name], s.data) for name, s in sources.items() if name not in models]
    for name, model_type, data in checked:
        source = sources[name]
        for marker, value, loc, is_key in _refs(model_type, data, ()):
            if value in marker.allow or value in ids[marker.kind]:
                continue
            if name not in models and (source.display, render_loc(loc)) in flagged:
                continue
            fname = COLLECTIONS.get(marker.kind, ("postmortems/",))[0]
            if marker.kind not in readable:
                continue  # that file failed to load or has the wrong shape; its own errors say why
            candidates = list(ids[marker.kind]) + sorted(marker.allow)
            hint = _ref_hint(value, candidates, marker.kind, fname)
            line, col = source.pos(loc, key=is_key)
            noun = nouns.get(marker.kind, marker.kind)
            findings.append(Finding(
                source.display, line, col, "HB105" if marker.kind in KINDS else "HB202", "error", render_loc(loc),
                f"'{value}' is not {'an' if noun[0] in 'aeiou' else 'a'} {noun} this handbook knows" if marker.kind in KINDS else f"unknown {noun} '{value}'",
                hint,
            ))

    files = sum(1 for _, path, _, _ in expected if os.path.lexists(path))
    if any(f.level == "error" for f in findings) or any(
        name not in models for name, _, _, required in expected if required
    ):
        return LoadResult(None, sort_findings(findings), files)

    comms = models["communications.yaml"]
    incidents = models.get("incidents.yaml")
    forms = models.get("forms.yaml")
    hb = Handbook(
        data_dir=data_dir,
        today=today,
        organization=models["organization.yaml"].organization,
        people=list(models["people.yaml"].people),
        departments=list(models["departments.yaml"].departments),
        roles=list(models["roles.yaml"].roles),
        levels=list(models["severity.yaml"].levels),
        chains=list(models["escalation.yaml"].chains),
        channels=list(comms.channels),
        hotline_id=comms.hotline,
        bridge_id=comms.bridge,
        call_tree=comms.call_tree,
        without_call_tree=comms.without_call_tree,
        enquiries=list(comms.enquiries),
        templates=list(comms.templates),
        partners=list(models["partners.yaml"].partners),
        notifications=list(models["partners.yaml"].notifications),
        drills=list(models["drills.yaml"].drills),
        requirements=list(models["drills.yaml"].requirements),
        incidents=list(incidents.incidents) if incidents else [],
        postmortems=[m for n, m in models.items() if n.startswith(POSTMORTEM_DIR + "/")],
        forms=list(forms.forms) if forms else [],
        files=sorted(sources),
        _unplaced=[(model_obj, sources[name]) for name, model_obj in models.items()],
    )
    return LoadResult(hb, sort_findings(findings), files)
