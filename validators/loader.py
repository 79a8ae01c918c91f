"""Load one YAML file into plain Python values that remember where every node stood.

The file is composed (not constructed) with libyaml, so nothing in it can run code; every node's
tag is checked against the YAML core schema, duplicate keys and alias bombs are refused, and each
value's line and column is kept in a map keyed by its path (``("people", 4, "contacts", 0)``).
Pydantic's error ``loc`` is the same tuple, so a schema error finds its way back to the node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .findings import Finding

MAX_BYTES = 8 * 1024 * 1024
MAX_ALIAS_EXPANSION = 10_000
# Data files need a handful of levels; the walk below (and libyaml's composer, which crashes
# the interpreter somewhere past 20,000 levels) recurse once per level.
MAX_DEPTH = 100
_FOREVER = 10**12

Loc = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML 1.2-style scalars: only true/false are booleans, and no base-60 numbers.

    YAML 1.1 reads ``no`` (Norway) as false and ``1:30`` as 90; contributors editing a country
    code or a time should get what they typed.
    """


_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# Digits with a leading zero stay text: PyYAML reads 0123 as octal 83, and a PIN, an extension or
# a ticket number written that way must keep its zero (number fields still accept the text).
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*)|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
# Clearing the resolvers above also dropped the one for '<<'; put it back so merge keys are
# recognised (and refused) instead of passing as a field named '<<'.
_Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        re.X,
    ),
    list("0123456789"),
)

_constructor = SafeConstructor()


@dataclass
class Source:
    """One loaded file: its values and where each one stood."""

    path: Path
    display: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def pos(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """Line and column of the node at ``loc``, or of its nearest ancestor that exists."""
        loc = tuple(loc)
        if key and loc in self.key_positions:
            return self.key_positions[loc]
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Walker:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.findings: list[Finding] = []
        self.seen: set[int] = set()
        self.sizes: dict[int, int] = {}
        self.expanded = 0
        self.bomb_reported = False
        self.in_alias = False

    def finding(self, node: Node, code: str, loc: Loc, message: str, hint: str) -> None:
        line, col = _mark(node)
        self.findings.append(
            Finding(self.source.display, line, col, code, "error", render_loc(loc), message, hint)
        )

    def size(self, node: Node, active: set[int] | None = None) -> int:
        """Number of nodes a subtree expands to, aliases counted each time (memoised)."""
        key = id(node)
        if key in self.sizes:
            return self.sizes[key]
        active = active if active is not None else set()
        if key in active:
            return _FOREVER  # a recursive alias expands forever
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(self.size(n, active) for n in node.value)
        elif isinstance(node, MappingNode):
            total += sum(self.size(k, active) + self.size(v, active) for k, v in node.value)
        active.discard(key)
        self.sizes[key] = total
        return total

    def walk(self, node: Node, loc: Loc) -> Any:
        if isinstance(node, ScalarNode) or id(node) not in self.seen or self.in_alias:
            if not isinstance(node, ScalarNode):
                self.seen.add(id(node))
            return self._node(node, loc)
        # Same node object again: an alias. Its size already counts the aliases nested inside
        # it, so those are not counted again while it is walked.
        size = self.size(node)
        self.expanded += size
        if self.expanded > MAX_ALIAS_EXPANSION:
            if not self.bomb_reported:
                self.bomb_reported = True
                self.finding(
                    node, "HB008", loc,
                    "this alias refers to itself, so it never ends" if size >= _FOREVER
                    else f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values",
                    "write the values out instead of nesting anchors and aliases",
                )
            return None
        self.in_alias = True
        try:
            return self._node(node, loc)
        finally:
            self.in_alias = False

    def _node(self, node: Node, loc: Loc) -> Any:
        self.source.positions[loc] = _mark(node)
        if node.tag not in _ALLOWED_TAGS:
            self.finding(
                node, "HB005", loc, f"tag '{_short_tag(node.tag)}' is not allowed",
                "remove the tag: data files hold plain text, numbers, dates, lists and mappings",
            )
            return None
        if isinstance(node, ScalarNode):
            return _scalar(node)
        if len(loc) >= MAX_DEPTH:
            raise _TooDeep(*_mark(node))
        if isinstance(node, SequenceNode):
            return [self.walk(item, loc + (i,)) for i, item in enumerate(node.value)]
        return self.mapping(node, loc)

    def mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.finding(
                    key_node, "HB005", loc, "merge keys (<<) are not supported",
                    "repeat the fields where they are needed",
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self.finding(
                    key_node, "HB003", loc, "a key must be plain text",
                    "write the key as a word followed by a colon, e.g. 'name:'",
                )
                continue
            # The key as written: 'null' or 'true' must not become 'None' or 'True'.
            key = key_node.value
            child = loc + (key,)
            if key in first_seen:
                self.finding(
                    key_node, "HB007", child,
                    f"duplicate key '{key}' (first at line {first_seen[key]})",
                    "keep one of them: YAML would silently use only the last",
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.source.key_positions[child] = _mark(key_node)
            result[key] = self.walk(value_node, child)
        return result


def _scalar(node: ScalarNode) -> Any:
    try:
        return _constructor.yaml_constructors[node.tag](_constructor, node)
    except (ValueError, TypeError, OverflowError, yaml.YAMLError):
        # e.g. 2026-02-30 looks like a date but is none: keep the text, the model says why.
        return node.value


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def render_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _file_finding(display: str, code: str, message: str, hint: str, line: int = 1, col: int = 1) -> Finding:
    return Finding(display, line, col, code, "error", "", message, hint)


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def load_file(path: Path, display: str) -> tuple[Source | None, list[Finding]]:
    """Read and compose one YAML file; return its Source (None if unusable) and findings."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [_file_finding(
                display, "HB001", f"file is {size / 1048576:.1f} MB, more than the {MAX_BYTES // 1048576} MB limit",
                "split it or remove what does not belong in the handbook",
            )]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [_file_finding(display, "HB001", f"cannot read the file: {exc.strerror}", "check that it exists and is readable")]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Windows editors save "Unicode" as UTF-16, which is full of NUL bytes but is text.
        return None, [_file_finding(
            display, "HB002", "the file is saved as UTF-16, not UTF-8",
            "save it again choosing the UTF-8 encoding", 1, 1,
        )]
    if b"\x00" in raw:
        line, col = _line_col(raw, raw.index(b"\x00"))
        return None, [_file_finding(
            display, "HB002", "this is not a text file (it holds a NUL byte)",
            "save it as plain UTF-8 text", line, col,
        )]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        return None, [_file_finding(
            display, "HB002", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8 in your editor", line, col,
        )]
    if text.startswith("\ufeff"):
        text = text[1:]
    tabs = []
    for number, content in enumerate(text.splitlines(), start=1):
        indent = content[: len(content) - len(content.lstrip(" \t"))]
        if "\t" in indent:
            tabs.append(_file_finding(
                display, "HB004", "a tab is used for indentation",
                "indent with spaces only; YAML does not allow tabs here", number, indent.index("\t") + 1,
            ))
    if tabs:
        return None, tabs
    source = Source(path=path, display=display, data=None)
    try:
        deep = _nesting_beyond_limit(text)
        if deep is not None:
            return None, [_too_deep(display, *deep)]
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "not valid YAML"
        runaway = _runaway_quote(text, line)
        if runaway is not None:
            # YAML only notices an unclosed quote where the text stops making sense, often many
            # lines later (or at the end of the file): point at the quote that was left open.
            return None, [_file_finding(
                display, "HB003",
                "YAML syntax error: the quote that opens this value is not closed on its line, "
                f"so YAML reads on to {runaway[2]}",
                "close the quote that opens this value", runaway[0], runaway[1],
            )]
        if exc.context and problem.startswith("but "):
            # The composer words it as context + problem: "expected a single document …, but found …".
            words = f"{exc.context}, {problem}"
        else:
            words = f"{problem} {exc.context}" if exc.context else problem
        return None, [_file_finding(
            display, "HB003", f"YAML syntax error: {words}".strip(),
            _syntax_hint(problem), line, col,
        )]
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks for all we know of
        return None, [_file_finding(display, "HB003", f"YAML syntax error: {exc}", "check quotes and indentation")]
    # '---' alone, '~' or 'null' compose to a null node: as empty as no text at all.
    if node is None or (isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"):
        return source, [_file_finding(
            display, "HB006", "the file is empty",
            "fill it in or delete it; the data reference lists its fields",
        )]
    walker = _Walker(source)
    try:
        source.data = walker.walk(node, ())
    except _TooDeep as exc:
        return None, [_too_deep(display, *exc.args)]
    return source, walker.findings


class _TooDeep(Exception):
    """Raised with (line, column) where the nesting passes MAX_DEPTH."""


def _too_deep(display: str, line: int, col: int) -> Finding:
    return _file_finding(
        display, "HB003", f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
        "data files need only a few levels: check the indentation and the brackets", line, col,
    )


def _nesting_beyond_limit(text: str) -> tuple[int, int] | None:
    """Where nesting passes MAX_DEPTH, for texts deep enough to crash the composer.

    Block nesting needs a column per level and flow nesting a bracket, so most files are ruled
    out by counting; the rest are checked with parser events, which use no recursion.
    """
    bound = max(map(len, text.split("\n"))) + text.count("[") + text.count("{")
    if bound < 10_000:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1, event.start_mark.column + 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


_QUOTED_VALUE = re.compile(r"""^[ ]*(?:-[ ]+)*(?:[^\s'"#-][^:#]*:[ ]+)?(?P<q>["'])""")
_CLOSE = {'"': re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL), "'": re.compile(r"(?:[^']|'')*'", re.DOTALL)}


def _runaway_quote(text: str, error_line: int) -> tuple[int, int, str] | None:
    """Line and column of a quoted value left open that runs on to where YAML gave up, if any."""
    lines = [content + "\n" for content in text.split("\n")]
    starts = [0]
    for content in lines:
        starts.append(starts[-1] + len(content))
    for number in range(min(error_line, len(lines)), 0, -1):
        match = _QUOTED_VALUE.match(lines[number - 1])
        if not match:
            continue
        begin = starts[number - 1] + match.end()
        closing = _CLOSE[match["q"]].match(text, begin)
        end_line = text.count("\n", 0, closing.end()) + 1 if closing else len(lines) + 1
        if end_line > number and end_line >= error_line:
            return number, match.start("q") + 1, f"line {end_line}" if closing else "the end of the file"
    return None


def _syntax_hint(problem: str) -> str:
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in problem:
        return "close the quote that opens this value"
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains ': ', or fix the indentation"
    if "could not find expected ':'" in problem:
        return "each line in a mapping needs 'key: value'"
    if "another document" in problem:
        return "a data file holds one document: remove the '---' line and what follows, or merge it"
    if "undefined alias" in problem:
        return "define the anchor (&name) before using *name, or write the value out"
    if "expected <block end>" in problem:
        return "line up the indentation with the lines above"
    return "check the quotes and the indentation around this line"
