"""Random damage to the minimal organization never makes validate() raise.

Each example copies the minimal data, applies a few mutations (drop a key, change a value's
type, insert garbage, swap ids, duplicate an entry, truncate or delete a file) and runs
validators.engine.validate in-process. Whatever it finds must be a well-formed finding.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from preparedness_handbook.validators.engine import validate
from tests.conftest import MINIMAL

TODAY = dt.date(2026, 11, 27)
FILES = sorted(str(p.relative_to(MINIMAL)) for p in MINIMAL.rglob("*.yaml"))
TEXTS = {name: (MINIMAL / name).read_text(encoding="utf-8") for name in FILES}
DATA = {name: yaml.safe_load(text) for name, text in TEXTS.items()}
CODE = re.compile(r"^HB\d{3}$")
SECRET = "outside-data-never-quoted"


def _all_ids(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["id"]] if isinstance(node.get("id"), str) else []
        return own + [i for v in node.values() for i in _all_ids(v)]
    if isinstance(node, list):
        return [i for v in node for i in _all_ids(v)]
    return []


# Ids by the file that defines them: a reference moved to another id of the same kind keeps the
# data valid for the schema, so the consistency rules run on it (cycles, gaps, wrong owners).
ID_GROUPS = [sorted(set(_all_ids(data))) for data in DATA.values() if _all_ids(data)]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "no", "1:30", "0123", "sev1", "ben-cole", "+1 312 555 0101", "2026-02-30", "P", "15m"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3),
), max_leaves=6)
garbage = st.one_of(
    st.text(max_size=40),
    st.sampled_from([
        ":", "- ", "\t", "'", '"', "&a", "*a", "!!python/object:os.system", "<<: *a", "---", "{", "[",
        "? ", "|", ">", "%YAML 1.1\n", "\x00", "\ufeff", "\r", "  - id: ben-cole\n", "#",
    ]),
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, prefix + (i,))
    return out


def _parent(root: Any, path: tuple) -> Any:
    for part in path[:-1]:
        root = root[part]
    return root


def _ids(node: Any, prefix: tuple = ()) -> list[tuple]:
    return [p for p in _paths(node, prefix) if p and p[-1] == "id"]


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


class Special(str):
    """A file replaced by something that is not one: a link loop, a link out of data/, a folder.

    (Named pipes and devices are left to tests/test_special_files.py, which runs the command in
    a child process with a timeout: here a regression would hang the suite.)
    """


SPECIALS = ["link-outside", "link-loop", "broken-link", "folder", "link-inside"]


def _make_special(target: Path, kind: str, root: Path, outside: Path) -> None:
    target.unlink()
    if kind == "link-outside":
        target.symlink_to(outside)
    elif kind == "link-loop":
        target.symlink_to(target.name)
    elif kind == "broken-link":
        target.symlink_to("nowhere.yaml")
    elif kind == "folder":
        target.mkdir()
    else:  # a link to another data file: read, and most likely the wrong shape for this one
        other = root / ("organization.yaml" if target.name == "people.yaml" else "people.yaml")
        target.symlink_to(os.path.relpath(other, target.parent))


def mutate(files: dict[str, str | bytes | None], draw: Any) -> str:
    """Apply one random mutation to ``files`` (name → text, bytes or None for deleted)."""
    name = draw(st.sampled_from(FILES))
    kind = draw(st.sampled_from([
        "drop-key", "change-type", "insert-garbage", "insert-bytes", "swap-ids", "duplicate-entry",
        "truncate", "delete-file", "rename-id", "retarget", "retarget", "retarget", "special",
    ]))
    current = files[name]
    if current is None or kind == "delete-file":
        files[name] = None
        return f"delete {name}"
    if kind == "special" or isinstance(current, Special):
        files[name] = Special(draw(st.sampled_from(SPECIALS)))
        return f"{files[name]} in place of {name}"
    if kind in ("insert-garbage", "insert-bytes", "truncate") or not isinstance(current, str):
        raw = current.encode("utf-8") if isinstance(current, str) else current
        pos = draw(st.integers(min_value=0, max_value=len(raw)))
        if kind == "truncate":
            files[name] = raw[:pos]
        elif kind == "insert-bytes":
            files[name] = raw[:pos] + draw(st.binary(min_size=1, max_size=8)) + raw[pos:]
        else:
            files[name] = raw[:pos] + draw(garbage).encode("utf-8", "surrogatepass") + raw[pos:]
        return f"{kind} {name} at byte {pos}"
    try:
        data = yaml.safe_load(current)
    except yaml.YAMLError:
        files[name] = current + draw(garbage)
        return f"append garbage to {name}"
    paths = _paths(data)
    if not paths:
        files[name] = _dump(draw(values))
        return f"replace {name}"
    if kind == "drop-key":
        dict_paths = [p for p in paths if isinstance(p[-1], str)] or paths
        path = draw(st.sampled_from(dict_paths))
        del _parent(data, path)[path[-1]]
    elif kind == "change-type":
        path = draw(st.sampled_from(paths))
        _parent(data, path)[path[-1]] = draw(values)
    elif kind in ("swap-ids", "rename-id"):
        ids = _ids(data)
        if len(ids) < 2:
            return "no ids to swap"
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        pa, pb = _parent(data, a), _parent(data, b)
        if kind == "swap-ids":
            pa["id"], pb["id"] = pb["id"], pa["id"]
        else:
            pa["id"] = pb["id"]  # now a duplicate, and a's id is gone
    elif kind == "retarget":
        path = draw(st.sampled_from(paths))
        holder, value = _parent(data, path), _parent(data, path)[path[-1]]
        if isinstance(value, bool):
            holder[path[-1]] = not value
        elif isinstance(value, int | float):
            holder[path[-1]] = draw(st.integers(min_value=0, max_value=12))
        elif isinstance(value, dt.date):
            holder[path[-1]] = draw(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)))
        elif isinstance(value, str):
            group = next((g for g in ID_GROUPS if value in g), None)
            if group is None:
                return "not a reference"
            holder[path[-1]] = draw(st.sampled_from(group))
        else:
            return "nothing to retarget"
    elif kind == "duplicate-entry":
        lists = [p for p in paths if isinstance(_parent(data, p), list)]
        if not lists:
            return "no list"
        path = draw(st.sampled_from(lists))
        _parent(data, path).append(_parent(data, path)[path[-1]])
    files[name] = _dump(data)
    return f"{kind} in {name}"


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(st.data())
def test_validate_never_raises(data: st.DataObject) -> None:
    files: dict[str, str | bytes | None] = dict(TEXTS)
    steps = data.draw(st.integers(min_value=1, max_value=3))
    for _ in range(steps):
        note = mutate(files, data.draw)
        data.draw(st.just(note), label="mutation")

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        shutil.copytree(MINIMAL, root)
        outside = Path(tmp) / "outside.yaml"
        outside.write_text(f"people:\n  - id: {SECRET}\n", encoding="utf-8")
        for name, content in files.items():
            target = root / name
            if content is None:
                target.unlink()
            elif isinstance(content, Special):
                _make_special(target, content, root, outside)
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8", errors="surrogatepass")

        result = validate(root, TODAY)

    assert isinstance(result.files, int)
    for f in result.findings:
        assert f.file, f
        assert f.line >= 1 and f.column >= 1, f
        assert CODE.match(f.code), f
        assert f.level in ("error", "warning"), f
        assert f.message.strip(), f
        assert SECRET not in f.message + f.hint, f
    if result.handbook is None:
        # No handbook means something stopped it, and the user must be told what.
        assert result.errors, [f.text for f in result.findings]


def test_mutations_change_something() -> None:
    # The fixture data must give the mutations something to work on.
    assert "people.yaml" in FILES and "postmortems/one.yaml" in FILES
    assert len(_ids(DATA["people.yaml"])) >= 10
    assert _paths(DATA["communications.yaml"])
