"""validators.loader.load_file: positions, YAML 1.2 scalars, and everything it refuses."""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from preparedness_handbook.validators import loader
from preparedness_handbook.validators.loader import (
    MAX_ALIAS_EXPANSION,
    MAX_BYTES,
    MAX_DEPTH,
    _read_capped,
    load_file,
    render_loc,
)


def load(tmp_path: Path, content: str | bytes, name: str = "people.yaml"):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return load_file(path, f"data/{name}")


def codes(findings) -> list[str]:
    return [f.code for f in findings]


# --- positions -----------------------------------------------------------------------------------

PEOPLE = """\
# a comment
people:
  - id: ada-king
    name: Ada King
    contacts:
      - kind: mobile
        value: "+1 312 555 0101"
      - {kind: work-email, value: ada@minimal.example}
    qualifications: [incident-manager, communications-lead]
"""


def test_positions_of_nested_values(tmp_path: Path) -> None:
    source, findings = load(tmp_path, PEOPLE)
    assert findings == []
    assert source.data["people"][0]["contacts"][0]["value"] == "+1 312 555 0101"
    assert source.pos(()) == (2, 1)
    assert source.pos(("people",)) == (3, 3)
    assert source.pos(("people", 0)) == (3, 5)
    assert source.pos(("people", 0, "id")) == (3, 9)
    assert source.pos(("people", 0, "contacts", 0, "value")) == (7, 16)
    assert source.pos(("people", 0, "contacts", 1)) == (8, 9)
    assert source.pos(("people", 0, "contacts", 1, "value")) == (8, 35)
    assert source.pos(("people", 0, "qualifications", 1)) == (9, 40)


def test_positions_of_keys(tmp_path: Path) -> None:
    source, _ = load(tmp_path, PEOPLE)
    assert source.pos(("people", 0, "contacts"), key=True) == (5, 5)
    assert source.pos(("people", 0, "contacts", 0, "value"), key=True) == (7, 9)
    assert source.pos(("people", 0, "contacts", 1, "value"), key=True) == (8, 28)
    # Without key=True the value's position is given.
    assert source.pos(("people", 0, "contacts")) == (6, 7)


def test_missing_path_falls_back_to_nearest_ancestor(tmp_path: Path) -> None:
    source, _ = load(tmp_path, PEOPLE)
    assert source.pos(("people", 0, "title")) == (3, 5)
    assert source.pos(("people", 0, "contacts", 5, "value")) == (6, 7)
    assert source.pos(("nothing", "here")) == (2, 1)


def test_byte_order_mark_and_crlf_keep_positions(tmp_path: Path) -> None:
    content = ("\ufeff" + PEOPLE).replace("\n", "\r\n").encode("utf-8")
    source, findings = load(tmp_path, content)
    assert findings == []
    assert source.pos(("people", 0, "contacts", 0, "value")) == (7, 16)
    assert source.pos(()) == (2, 1)


def test_render_loc() -> None:
    assert render_loc(("people", 4, "contacts", 0, "value")) == "people[4].contacts[0].value"
    assert render_loc(()) == ""
    assert render_loc(("playbook", "sev1", 2)) == "playbook.sev1[2]"


# --- scalars: YAML 1.2, as typed --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),  # Norway, not false
        ("No", "No"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        ("true", True),
        ("False", False),
        ("1:30", "1:30"),  # not 90 (YAML 1.1 base 60)
        ("12:30:00", "12:30:00"),
        ("0123", "0123"),  # not octal 83: a PIN keeps its zero
        ("007", "007"),
        ("0", 0),
        ("-5", -5),
        ("1_000", 1000),
        ("0x1F", 31),
        ("0o17", 15),
        ("1.5", 1.5),
        ("~", None),
        ("null", None),
        ("", None),
        ("2026-11-27", dt.date(2026, 11, 27)),
        ("2026-02-30", "2026-02-30"),  # looks like a date, is none: kept as text for the model
        ("+1 312 555 0101", "+1 312 555 0101"),
        ('"true"', "true"),
        ("'0123'", "0123"),
    ],
)
def test_scalars(tmp_path: Path, text: str, value: object) -> None:
    source, findings = load(tmp_path, f"a: {text}\n")
    assert findings == []
    assert source.data["a"] == value
    assert type(source.data["a"]) is type(value)


@pytest.mark.parametrize("text", ["true\n", "12\n", "null\n", "2026-11-27\n", "1.5\n"])
def test_a_value_with_a_line_break_after_it_is_text(text: str) -> None:
    # A plain scalar never ends in a line break as libyaml reads it; the check is whole anyway.
    assert loader._plain_tag(text) == "tag:yaml.org,2002:str"
    assert loader._plain_tag(text.rstrip("\n")) != "tag:yaml.org,2002:str"


def test_special_floats(tmp_path: Path) -> None:
    source, _ = load(tmp_path, "a: .inf\nb: -.inf\nc: .nan\n")
    assert source.data["a"] == math.inf and source.data["b"] == -math.inf and math.isnan(source.data["c"])


def test_keys_are_kept_as_written(tmp_path: Path) -> None:
    source, findings = load(tmp_path, "null: 1\ntrue: 2\n0123: 3\n1: 4\nno: 5\n")
    assert findings == []
    assert list(source.data) == ["null", "true", "0123", "1", "no"]


# --- duplicate keys -----------------------------------------------------------------------------------

def test_duplicate_key(tmp_path: Path) -> None:
    source, findings = load(tmp_path, "people:\n  - id: a\n    name: A\n    name: B\n")
    assert [(f.code, f.line, f.column, f.path) for f in findings] == [("HB007", 4, 5, "people[0].name")]
    assert findings[0].message == "duplicate key 'name' (first at line 3)"
    assert findings[0].hint == "keep one of them: YAML would silently use only the last"
    assert source.data["people"][0]["name"] == "A"


def test_duplicate_keys_in_flow_and_nested_mappings(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "a: {x: 1, x: 2}\nb:\n  c:\n    d: 1\n    d: 2\n    d: 3\n")
    assert [(f.code, f.line, f.column) for f in findings] == [
        ("HB007", 1, 11), ("HB007", 5, 5), ("HB007", 6, 5),
    ]


def test_same_key_in_sibling_mappings_is_fine(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "a:\n  - id: x\n  - id: y\n")
    assert findings == []


# --- anchors and aliases --------------------------------------------------------------------------------

def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    content = "base: &b {x: 1, y: [1, 2, 3]}\nl:\n" + "  - *b\n" * 100
    source, findings = load(tmp_path, content)
    assert findings == []
    assert source.data["l"][99] == {"x": 1, "y": [1, 2, 3]}


def _bomb(levels: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_once(tmp_path: Path) -> None:
    source, findings = load(tmp_path, _bomb(9))
    assert codes(findings) == ["HB008"]
    f = findings[0]
    assert f.message == f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values"
    # a2 holds 10 x 111 values; with a1's 110 that is 1,220, and each *a2 in a3 adds 1,111:
    # the 8th one (a3[7]) passes 10,000. The position is that of the anchored node &a2.
    assert (f.line, f.column, f.path) == (3, 5, "a3[7]")
    assert source.data["a3"][7] is None


def test_alias_bomb_returns_fast(tmp_path: Path) -> None:
    content = _bomb(30)  # 10**30 values if expanded
    start = time.perf_counter()
    _, findings = load(tmp_path, content)
    assert time.perf_counter() - start < 2.0
    assert codes(findings) == ["HB008"]


def test_recursive_alias(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "a: &x\n  b: [1, *x]\n")
    # The position is the anchored node's (its &x), the path the alias's.
    assert [(f.code, f.line, f.column, f.path) for f in findings] == [("HB008", 1, 4, "a.b[1]")]
    assert findings[0].message == "this alias refers to itself, so it never ends"


def test_undefined_alias(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "a: 1\nb: *nope\n")
    assert [(f.code, f.line, f.column) for f in findings] == [("HB003", 2, 4)]
    assert "undefined alias" in findings[0].message


def test_merge_key_is_refused(tmp_path: Path) -> None:
    source, findings = load(tmp_path, "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n")
    assert [(f.code, f.line, f.column, f.path) for f in findings] == [("HB005", 3, 3, "c")]
    assert findings[0].message == "merge keys (<<) are not supported"
    assert source.data["c"] == {"y": 2}


def test_quoted_double_angle_is_an_ordinary_key(tmp_path: Path) -> None:
    source, findings = load(tmp_path, "c:\n  '<<': 1\n")
    assert findings == [] and source.data == {"c": {"<<": 1}}


# --- tags --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/object/apply:os.system ['touch {marker}']", "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!include other.yaml", "!include"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!Ref other", "!Ref"),
    ],
)
def test_tags_are_refused_and_never_run(tmp_path: Path, value: str, shown: str) -> None:
    marker = tmp_path / "ran"
    source, findings = load(tmp_path, "a: 1\nb: " + value.replace("{marker}", str(marker)) + "\n")
    assert [(f.code, f.line, f.column, f.path) for f in findings] == [("HB005", 2, 4, "b")]
    assert findings[0].message == f"tag '{shown}' is not allowed"
    assert source.data == {"a": 1, "b": None}
    assert not marker.exists()


def test_standard_tags_are_allowed(tmp_path: Path) -> None:
    source, findings = load(tmp_path, "a: !!str 5\nb: !!int '7'\nc: !!bool true\n")
    assert findings == []
    assert source.data == {"a": "5", "b": 7, "c": True}


def test_tag_on_the_whole_document(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "--- !!python/object:os.system\na: 1\n")
    assert codes(findings) == ["HB005"]


# --- files that are not YAML text ------------------------------------------------------------------------

def test_file_over_the_size_cap_is_refused_fast(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    row = b"  - {id: someone, name: Some One, title: Clerk, department: sales}\n"
    with path.open("wb") as out:
        out.write(b"people:\n")
        chunk = row * 16384
        while out.tell() < 50 * 1024 * 1024:
            out.write(chunk)
        out.truncate(50 * 1024 * 1024)
    assert path.stat().st_size > MAX_BYTES
    start = time.perf_counter()
    source, findings = load_file(path, "data/people.yaml")
    elapsed = time.perf_counter() - start
    assert source is None
    assert [(f.code, f.line, f.column) for f in findings] == [("HB001", 1, 1)]
    assert findings[0].message == "file is 50.0 MB, more than the 8 MB limit"
    assert elapsed < 0.5


def test_unreadable_path(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").mkdir()
    source, findings = load_file(tmp_path / "people.yaml", "data/people.yaml")
    assert source is None and codes(findings) == ["HB001"]
    assert findings[0].message.startswith("cannot read the file")


def test_not_utf8(tmp_path: Path) -> None:
    source, findings = load(tmp_path, "a: ok\nname: Jos\xe9\n".encode("latin-1"))
    assert source is None
    assert [(f.code, f.line, f.column) for f in findings] == [("HB002", 2, 10)]
    assert findings[0].message == "not valid UTF-8 (byte 0xe9)"


def test_nul_byte(tmp_path: Path) -> None:
    _, findings = load(tmp_path, b"a: 1\nb: x\x00y\n")
    assert [(f.code, f.line, f.column) for f in findings] == [("HB002", 2, 5)]
    assert "NUL byte" in findings[0].message


def test_utf16(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "a: 1\n".encode("utf-16"))
    assert codes(findings) == ["HB002"]
    assert findings[0].message == "the file is saved as UTF-16, not UTF-8"


def test_tab_indentation(tmp_path: Path) -> None:
    source, findings = load(tmp_path, "a:\n\tb: 1\n  c: 'tab\there is fine'\n  \td: 2\n")
    assert source is None
    assert [(f.code, f.line, f.column) for f in findings] == [("HB004", 2, 1), ("HB004", 4, 3)]


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n", "~\n", "--- null\n", "\ufeff"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    source, findings = load(tmp_path, content)
    assert [(f.code, f.line, f.column) for f in findings] == [("HB006", 1, 1)]
    assert source is not None and source.data is None


# --- syntax errors -------------------------------------------------------------------------------------------

def test_unclosed_double_quote_points_at_the_quote(tmp_path: Path) -> None:
    content = 'a:\n  name: "Ada King\n  title: CEO\nb:\n  name: "Ben"\n'
    _, findings = load(tmp_path, content)
    assert [(f.code, f.line, f.column) for f in findings] == [("HB003", 2, 9)]
    assert findings[0].hint == "close the quote that opens this value"


def test_unclosed_single_quote_at_the_end(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "a: 1\nb: 'it\nc: 2\n")
    assert [(f.code, f.line, f.column) for f in findings] == [("HB003", 2, 4)]
    assert findings[0].message.endswith("so YAML reads on to the end of the file")


def test_multi_line_quoted_value_is_fine(tmp_path: Path) -> None:
    source, findings = load(tmp_path, 'a: "one\n  two"\nb: 1\n')
    assert findings == [] and source.data == {"a": "one two", "b": 1}


def test_colon_in_plain_value(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "a: 1\nsummary: Root cause: certificate\n")
    assert [(f.code, f.line, f.column) for f in findings] == [("HB003", 2, 20)]
    assert "put quotes around a value" in findings[0].hint


def test_multiple_documents(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "a: 1\n---\na: 2\n")
    assert [(f.code, f.line, f.column) for f in findings] == [("HB003", 2, 1)]
    assert findings[0].message == (
        "YAML syntax error: expected a single document in the stream, but found another document"
    )


def test_key_that_is_not_text(tmp_path: Path) -> None:
    source, findings = load(tmp_path, "a: 1\n[x, y]: 2\n? {k: v}\n: 3\n")
    assert [(f.code, f.line, f.column) for f in findings] == [("HB003", 2, 1), ("HB003", 3, 3)]
    assert source.data == {"a": 1}


def test_top_level_list_and_scalar_load(tmp_path: Path) -> None:
    # The loader keeps them; the schema says the file must be a mapping.
    source, findings = load(tmp_path, "- a\n- b\n")
    assert findings == [] and source.data == ["a", "b"]
    source, findings = load(tmp_path, "just a sentence\n")
    assert findings == [] and source.data == "just a sentence"


# --- nesting depth ------------------------------------------------------------------------------------------

def test_nesting_at_the_limit_is_fine(tmp_path: Path) -> None:
    depth = MAX_DEPTH - 1
    _, findings = load(tmp_path, "a: " + "[" * depth + "]" * depth + "\n")
    assert findings == []


def test_nesting_beyond_the_limit(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "a: " + "[" * 500 + "]" * 500 + "\n")
    assert [(f.code, f.line, f.column) for f in findings] == [("HB003", 1, 3 + MAX_DEPTH)]
    assert findings[0].message == f"lists and mappings are nested more than {MAX_DEPTH} levels deep"


def test_block_nesting_beyond_the_limit(tmp_path: Path) -> None:
    content = "".join(" " * i + f"k{i}:\n" for i in range(150)) + " " * 150 + "v\n"
    _, findings = load(tmp_path, content)
    assert codes(findings) == ["HB003"]
    assert findings[0].line == MAX_DEPTH + 1


def test_very_deep_nesting_does_not_crash(tmp_path: Path) -> None:
    # libyaml's composer recurses in C and killed the interpreter (SIGSEGV) at ~25,000 levels.
    # Run it in a child so a regression fails this test instead of the whole session.
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 30_000 + "]" * 30_000 + "\n")
    code = (
        "import sys; from pathlib import Path; from validators.loader import load_file;"
        f"s, f = load_file(Path({str(path)!r}), 'deep.yaml'); print(f[0].code, f[0].line, f[0].column)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    # Our own bound stops it at column 3 + MAX_DEPTH; a libyaml with its own depth limit (PyYAML
    # 6.0.4's stops at 1,000) may report first, further along the same line. Either way: HB003, no crash.
    code, line, column = run.stdout.split()
    assert (code, line) == ("HB003", "1")
    assert int(column) in (3 + MAX_DEPTH, 1003)


def test_nesting_beyond_the_limit_inside_a_skipped_value_a_key_or_an_alias(tmp_path: Path) -> None:
    deep = "[" * 150 + "]" * 150
    for content, column in (
        (f"x: 1\nx: {deep}\n", 3 + MAX_DEPTH),           # a duplicate key's value is read past, not used
        (f"? {deep}\n: 1\n", 2 + MAX_DEPTH),              # a key that is not text
        (f"a: &d {deep}\nb: *d\n", 6 + MAX_DEPTH),        # the anchor itself passes the limit
    ):
        _, findings = load(tmp_path, content)
        assert [(f.code, f.column) for f in findings] == [("HB003", column)], content[:20]
        assert findings[0].message == f"lists and mappings are nested more than {MAX_DEPTH} levels deep"


# --- anchors counted without recursion ------------------------------------------------------------------

def _chain(n: int, width: int = 1) -> str:
    """Anchors each made of ``width`` aliases of the one before, in a value that is read past."""
    items = ["&a0 [" + ", ".join(["v"] * width) + "]"]
    items += [f"&a{k} [" + ", ".join([f"*a{k - 1}"] * width) + "]" for k in range(1, n)]
    return "x: 1\nx: [" + ", ".join(items) + f"]\ny: *a{n - 1}\n"


def test_a_long_chain_of_anchors_is_counted_without_running_out_of_stack(tmp_path: Path) -> None:
    # Defined under a duplicate key, none of them is counted until the last line names the last:
    # a count that recursed once per anchor raised RecursionError (an "internal error").
    _, findings = load(tmp_path, _chain(5000))
    # 5,000 values, under the alias limit; expanding them nests 5,000 lists, past the depth limit
    # (which stops the file, so the duplicate key is not reported with it).
    assert [(f.code, f.line) for f in findings] == [("HB003", 2)]
    assert findings[0].message == f"lists and mappings are nested more than {MAX_DEPTH} levels deep"


def test_a_long_chain_of_bombs_is_refused_as_too_many_values(tmp_path: Path) -> None:
    start = time.perf_counter()
    _, findings = load(tmp_path, _chain(2000, width=10))  # 10 ** 2000 values
    assert time.perf_counter() - start < 2.0
    assert [(f.code, f.line, f.path) for f in findings] == [("HB007", 2, "x"), ("HB008", 2, "y")]
    # More values than can be counted is still a finite number: not "refers to itself".
    assert findings[1].message == f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values"


def test_an_alias_into_its_own_anchor_through_another(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "x: 1\nx: &a [1, &b [2, *a]]\ny: *b\n")
    assert [(f.code, f.line, f.column, f.path) for f in findings] == [("HB007", 2, 1, "x"), ("HB008", 2, 11, "y")]
    assert findings[1].message == "this alias refers to itself, so it never ends"


# --- what is read: ordinary files, no more than MAX_BYTES, the size counted while reading --------------
# (links, named pipes, devices and folders in data/: tests/test_special_files.py)

def test_reading_stops_one_byte_past_the_cap() -> None:
    reader, writer = os.pipe()
    try:
        os.set_blocking(writer, False)
        written = os.write(writer, b"x" * 60_000)
        os.close(writer)
        writer = -1
        raw = _read_capped(reader, 0, 1000)  # told the size is 0, as /proc files say
    finally:
        os.close(reader)
        if writer != -1:
            os.close(writer)
    assert written > 1001 and raw == b"x" * 1001


def test_a_size_from_stat_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "people.yaml"
    path.write_bytes(b"people: []\n" + b"# padding\n" * (MAX_BYTES // 10 + 1))
    real_fstat = os.fstat

    def small(fd: int) -> os.stat_result:  # a file that says it is 11 bytes, as a growing one may
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 11,
                               st.st_atime, st.st_mtime, st.st_ctime))

    monkeypatch.setattr(loader.os, "fstat", small)
    source, findings = load_file(path, "data/people.yaml")
    assert source is None
    assert [(f.code, f.line, f.column, f.message, f.hint) for f in findings] == [(
        "HB001", 1, 1, "file is more than the 8 MB limit", "split it or remove what does not belong in the handbook",
    )]


def test_a_file_just_at_the_cap_is_read(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    body = b"people: []\n"
    path.write_bytes(body + b"#" * (MAX_BYTES - len(body) - 1) + b"\n")
    source, findings = load_file(path, "data/people.yaml")
    assert findings == [] and source.data == {"people": []}


def test_a_link_is_followed_only_inside_the_root(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "outside.yaml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "data" / "inside.txt").write_text("a: 2\n", encoding="utf-8")
    os.symlink("../outside.yaml", tmp_path / "data" / "out.yaml")
    os.symlink("inside.txt", tmp_path / "data" / "in.yaml")
    source, findings = load_file(tmp_path / "data" / "in.yaml", "data/in.yaml", tmp_path / "data")
    assert findings == [] and source.data == {"a": 2}
    source, findings = load_file(tmp_path / "data" / "out.yaml", "data/out.yaml", tmp_path / "data")
    assert source is None
    assert [(f.code, f.message) for f in findings] == [
        ("HB001", "cannot read the file: it is a symbolic link to a file outside data/"),
    ]
    # Without a root (a file named on purpose) a link is followed wherever it leads.
    source, findings = load_file(tmp_path / "data" / "out.yaml", "out.yaml")
    assert findings == [] and source.data == {"a": 1}
