"""Load one YAML file into plain Python values that remember where every node stood.

The file is parsed with libyaml into events and never constructed, so nothing in it can run code;
every node's tag is checked against the YAML core schema, duplicate keys and alias bombs are
refused, and each value's line and column is kept in a map keyed by its path
(``("people", 4, "contacts", 0)``).
Pydantic's error ``loc`` is the same tuple, so a schema error finds its way back to the node.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from .findings import Finding

MAX_BYTES = 8 * 1024 * 1024
MAX_ALIAS_EXPANSION = 10_000
# Data files need a handful of levels; the walk below (and libyaml's composer, which crashes
# the interpreter somewhere past 20,000 levels) recurse once per level.
MAX_DEPTH = 100
# The size of an anchor whose aliases lead back into it. Finite sizes stop at _HUGE, so that
# 10 ** 30 values (30 anchors of ten aliases each) are not mistaken for an alias to itself.
_FOREVER = 10**12
_HUGE = _FOREVER - 1


def _add(total: int, size: int) -> int:
    """Two expanded sizes together: endless if either is, else at most _HUGE."""
    if total >= _FOREVER or size >= _FOREVER:
        return _FOREVER
    return min(total + size, _HUGE)

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
    # A file whose checked result came from the cache was not parsed: this fills the two maps
    # above the first time a finding asks for a position (and is then dropped).
    fill: Callable[[Source], None] | None = field(default=None, repr=False, compare=False)
    asked: bool = field(default=False, repr=False, compare=False)

    def pos(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """Line and column of the node at ``loc``, or of its nearest ancestor that exists."""
        if not self.asked:
            self.asked = True
            if self.fill is not None:
                fill, self.fill = self.fill, None
                fill(self)
        loc = tuple(loc)
        if key and loc in self.key_positions:
            return self.key_positions[loc]
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))


_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_RESOLVERS = _Loader.yaml_implicit_resolvers


def _plain_tag(value: str) -> str:
    """The tag of a plain (unquoted) scalar, as the YAML 1.2-style resolvers above decide."""
    # fullmatch: the patterns end in `$`, which would also match before a final line break.
    for tag, regexp in _RESOLVERS.get(value[0] if value else "", ()):
        if regexp.fullmatch(value):
            return tag
    return _STR


class _Anchor:
    """An anchored node: its events, replayed where an alias names it, and its expanded size."""

    __slots__ = ("collection", "events", "mark", "open", "size")

    def __init__(self, mark: Any, collection: bool) -> None:
        self.events: list[Any] = []
        self.open = True
        self.size: int | None = None
        self.collection = collection
        self.mark = mark


class _Builder:
    """Parse events straight into values and positions: compose and walk in one pass.

    libyaml's composer builds a node object (and two marks) for every value and calls back into
    Python three times per node; for a 5,000-person people.yaml that took longer than all of
    the validation after it. Reading the parser's events directly does the same checks: tags,
    merge keys, duplicate keys, nesting depth, and aliases (replayed from the anchor's events,
    counted before they are expanded). The composer's errors (undefined alias, duplicate
    anchor, a second document) are raised as the same ComposerError.
    """

    def __init__(self, source: Source, text: str) -> None:
        self.source = source
        self.positions = source.positions
        self.key_positions = source.key_positions
        self.findings: list[Finding] = []
        self.loader = _Loader(text)
        self.anchors: dict[str, _Anchor] = {}
        self.recording: list[_Anchor] = []
        self.replay: list[Any] = []   # stack of iterators over recorded events
        self.expanded = 0
        self.bomb_reported = False
        self.in_alias = False

    # --- events --------------------------------------------------------------------------
    def next(self) -> Any:
        if self.replay:
            return next(self.replay[-1])
        event = self.loader.get_event()
        for anchor in self.recording:
            anchor.events.append(event)
        return event

    def build(self) -> tuple[bool, Any]:
        """(empty, data) of the single document; raises MarkedYAMLError like yaml.compose."""
        try:
            get = self.next
            event = get()  # StreamStart
            event = get()
            if isinstance(event, yaml.StreamEndEvent):
                return True, None
            start = event  # DocumentStart
            first = get()
            empty = isinstance(first, yaml.ScalarEvent) and first.tag is None and first.implicit[0] \
                and _plain_tag(first.value) == _NULL
            if empty:
                self.consume(first, 0)
                data = None
            else:
                data = self.node(first, ())
            get()  # DocumentEnd
            event = get()
            if not isinstance(event, yaml.StreamEndEvent):
                raise yaml.composer.ComposerError(
                    "expected a single document in the stream", start.start_mark,
                    "but found another document", event.start_mark,
                )
            return empty, data
        finally:
            self.loader.dispose()

    def finding(self, mark: Any, code: str, loc: Loc, message: str, hint: str) -> None:
        self.findings.append(Finding(
            self.source.display, mark.line + 1, mark.column + 1, code, "error", render_loc(loc), message, hint,
        ))

    # --- anchors -------------------------------------------------------------------------
    def _new_anchor(self, event: Any, collection: bool) -> _Anchor | None:
        name = event.anchor
        if name is None or self.replay:
            return None
        if name in self.anchors:
            raise yaml.composer.ComposerError(
                "found duplicate anchor; first occurrence", self.anchors[name].mark,
                "second occurrence", event.start_mark,
            )
        anchor = _Anchor(event.start_mark, collection)
        anchor.events.append(event)
        self.anchors[name] = anchor
        return anchor

    def _anchor_scalar(self, event: Any) -> None:
        anchor = self._new_anchor(event, False)
        if anchor is not None:
            anchor.open = False

    def _alias_anchor(self, event: Any) -> _Anchor:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
        return anchor

    def _close(self, anchor: _Anchor | None) -> None:
        if anchor is not None:
            anchor.open = False
            self.recording.remove(anchor)

    def _size(self, anchor: _Anchor) -> int:
        """Values the anchored node expands to, aliases inside it counted each time.

        Iterative: anchors defined inside one another, or in a value that is skipped and named
        only later, can chain thousands deep, and a recursive count ran out of stack.
        """
        if anchor.size is not None:
            return anchor.size
        if anchor.open:
            return _FOREVER  # an alias inside its own anchor: it never ends
        anchor.size = _FOREVER  # while counting: an alias back to it never ends either
        stack: list[list[Any]] = [[anchor, 0, 0]]  # anchor, next event, values so far
        while stack:
            frame = stack[-1]
            current, i, total = frame
            events, deeper = current.events, None
            while i < len(events) and total < _FOREVER:
                e = events[i]
                i += 1
                if isinstance(e, yaml.AliasEvent):
                    inner = self.anchors.get(e.anchor)
                    if inner is None or not inner.collection:
                        total = _add(total, 1)
                    elif inner.size is not None:
                        total = _add(total, inner.size)
                    elif inner.open:
                        total = _FOREVER
                    else:
                        deeper = inner
                        break
                elif isinstance(e, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    total = _add(total, 1)
            frame[1], frame[2] = i, total
            if deeper is not None:
                deeper.size = _FOREVER
                stack.append([deeper, 0, 0])
                continue
            current.size = total
            stack.pop()
            if stack:
                stack[-1][2] = _add(stack[-1][2], total)
        return anchor.size

    # --- values --------------------------------------------------------------------------
    def node(self, event: Any, loc: Loc) -> Any:
        cls = type(event)
        if cls is yaml.ScalarEvent:
            mark = event.start_mark
            self.positions[loc] = (mark.line + 1, mark.column + 1)
            if event.anchor is not None:
                self._anchor_scalar(event)
            tag = event.tag
            if tag is None or tag == "!":
                tag = _plain_tag(event.value) if event.implicit[0] else _STR
            if tag == _STR:
                return event.value
            if tag not in _ALLOWED_TAGS:
                self._bad_tag(mark, tag, loc)
                return None
            return _scalar(ScalarNode(tag, event.value, mark, event.end_mark, event.style))
        if cls is yaml.AliasEvent:
            return self.alias(event, loc)
        mark = event.start_mark
        self.positions[loc] = (mark.line + 1, mark.column + 1)
        tag = event.tag
        mapping = cls is yaml.MappingStartEvent
        if tag is None or tag == "!":
            tag = _MAP if mapping else _SEQ
        if tag not in _ALLOWED_TAGS:
            self._bad_tag(mark, tag, loc)
            self.consume(event, len(loc))
            return None
        if len(loc) >= MAX_DEPTH:
            raise _TooDeep(mark.line + 1, mark.column + 1)
        anchor = self._new_anchor(event, True)
        if anchor is not None:
            self.recording.append(anchor)
        try:
            return self.mapping(loc) if mapping else self.sequence(loc)
        finally:
            self._close(anchor)

    def consume(self, event: Any, depth: int) -> None:
        """Read past a node that is reported and not used, registering the anchors inside it."""
        cls = type(event)
        if cls is yaml.ScalarEvent:
            self._anchor_scalar(event)
            return
        if cls is yaml.AliasEvent:
            self._alias_anchor(event)
            return
        if depth >= MAX_DEPTH:
            raise _TooDeep(event.start_mark.line + 1, event.start_mark.column + 1)
        anchor = self._new_anchor(event, True)
        if anchor is not None:
            self.recording.append(anchor)
        end = yaml.MappingEndEvent if cls is yaml.MappingStartEvent else yaml.SequenceEndEvent
        while True:
            e = self.next()
            if type(e) is end:
                break
            self.consume(e, depth + 1)
        self._close(anchor)

    def _bad_tag(self, mark: Any, tag: str, loc: Loc) -> None:
        self.finding(
            mark, "HB005", loc, f"tag '{_short_tag(tag)}' is not allowed",
            "remove the tag: data files hold plain text, numbers, dates, lists and mappings",
        )

    def _reader(self) -> Any:
        """The fastest way to the next event for the collection now open.

        Outside an anchor and an alias, events come straight from the parser. Nodes inside a
        collection may start recording or replaying, but stop again before the collection reads
        its next event, so the choice holds for the whole collection.
        """
        return self.next if self.replay or self.recording else self.loader.get_event

    def sequence(self, loc: Loc) -> list[Any]:
        out: list[Any] = []
        get, node = self._reader(), self.node
        i = 0
        while True:
            event = get()
            if type(event) is yaml.SequenceEndEvent:
                return out
            out.append(node(event, loc + (i,)))
            i += 1

    def mapping(self, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        get, node = self._reader(), self.node
        while True:
            key_event = get()
            kcls = type(key_event)
            if kcls is yaml.MappingEndEvent:
                return result
            if kcls is yaml.AliasEvent:
                # an alias as a key stands for its anchor's node
                anchor = self._alias_anchor(key_event)
                first = anchor.events[0]
                if anchor.collection:
                    self.finding(first.start_mark, "HB003", loc, "a key must be plain text",
                                 "write the key as a word followed by a colon, e.g. 'name:'")
                    self.skip_value(loc)
                    continue
                key_event = first
            elif kcls is not yaml.ScalarEvent:
                self.finding(key_event.start_mark, "HB003", loc, "a key must be plain text",
                             "write the key as a word followed by a colon, e.g. 'name:'")
                self.consume(key_event, len(loc) + 1)
                self.skip_value(loc)
                continue
            elif key_event.anchor is not None:
                self._anchor_scalar(key_event)
            key = key_event.value
            kmark = key_event.start_mark
            ktag = key_event.tag
            if (ktag is None or ktag == "!") and key_event.implicit[0] and key == "<<" or ktag == _MERGE:
                self.finding(kmark, "HB005", loc, "merge keys (<<) are not supported",
                             "repeat the fields where they are needed")
                self.skip_value(loc)
                continue
            child = loc + (key,)
            if key in first_seen:
                self.finding(
                    kmark, "HB007", child,
                    f"duplicate key '{key}' (first at line {first_seen[key]})",
                    "keep one of them: YAML would silently use only the last",
                )
                self.skip_value(loc)
                continue
            first_seen[key] = kmark.line + 1
            self.key_positions[child] = (kmark.line + 1, kmark.column + 1)
            result[key] = node(get(), child)

    def skip_value(self, loc: Loc) -> None:
        self.consume(self.next(), len(loc) + 1)

    def alias(self, event: Any, loc: Loc) -> Any:
        anchor = self._alias_anchor(event)
        if anchor.collection and not self.in_alias:
            size = self._size(anchor)
            self.expanded += size
            if self.expanded > MAX_ALIAS_EXPANSION:
                if not self.bomb_reported:
                    self.bomb_reported = True
                    self.finding(
                        anchor.mark, "HB008", loc,
                        "this alias refers to itself, so it never ends" if size >= _FOREVER
                        else f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values",
                        "write the values out instead of nesting anchors and aliases",
                    )
                return None
        outer = self.in_alias
        self.in_alias = True
        self.replay.append(iter(anchor.events))
        try:
            return self.node(next(self.replay[-1]), loc)
        finally:
            self.replay.pop()
            self.in_alias = outer



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


# --- reading: regular files inside data/ only ------------------------------------------------------

# O_NONBLOCK: opening a named pipe must not wait for a writer (it is refused after fstat);
# O_NOFOLLOW: the path opened is the link's resolved target, and a link put there since is refused.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) \
    | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class Entry:
    """What a path in data/ is: the path to open (a link resolved), or why it is not read."""

    target: Path | None
    message: str = ""
    hint: str = ""


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something other than a file"


def examine(path: Path, root: Path | None, folder: bool = False) -> Entry:
    """Whether ``path`` (which exists, maybe as a broken link) may be read, and from where.

    A data file must be a regular file and the postmortems folder a folder. A symbolic link is
    followed only when its target is inside ``root`` (the data folder): otherwise a link could
    make the handbook read, and quote in its findings, any file the build machine can see. Nothing
    is opened here; a named pipe or a device is known by lstat/stat alone.
    """
    noun = "folder" if folder else "file"
    cannot = f"cannot read the {noun}"
    instead = f"replace the link with the {noun} itself"
    try:
        st = os.lstat(path)
    except OSError as exc:
        return Entry(None, f"{cannot}: {exc.strerror}", "check that it exists and is readable")
    target, link = path, ""
    if stat.S_ISLNK(st.st_mode):
        try:
            target = Path(os.path.realpath(path, strict=True))
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return Entry(None, f"{cannot}: it is a symbolic link loop (the links lead back to each other)", instead)
            if exc.errno == errno.ENOENT:
                return Entry(None, f"{cannot}: it is a symbolic link to a {noun} that does not exist",
                             f"{instead}, or delete the link")
            return Entry(None, f"{cannot}: {exc.strerror}", instead)
        if root is not None and not target.is_relative_to(os.path.realpath(root)):
            return Entry(None, f"{cannot}: it is a symbolic link to a {noun} outside data/",
                         f"{instead}: only what is inside data/ is read")
        try:
            st = os.stat(target)
        except OSError as exc:
            return Entry(None, f"{cannot}: {exc.strerror}", instead)
        link = "a symbolic link to "
    if folder:
        if not stat.S_ISDIR(st.st_mode):
            return Entry(None, f"{cannot}: it is {link}{_kind(st.st_mode)}, not a folder",
                         "make it a folder holding one <id>.yaml file per postmortem")
        return Entry(target)
    if not stat.S_ISREG(st.st_mode):
        hint = ("remove the folder and put a file of that name in its place" if stat.S_ISDIR(st.st_mode)
                else "replace it with an ordinary file holding the YAML text")
        if link:
            hint = f"{instead}: data files are ordinary text files"
        return Entry(None, f"{cannot}: it is {link}{_kind(st.st_mode)}, not a file", hint)
    return Entry(target)


def _read_capped(fd: int, size_hint: int, cap: int) -> bytes:
    """At most ``cap + 1`` bytes from ``fd``: the size is checked while reading, not taken from stat."""
    chunks, left = [], cap + 1
    step = max(min(size_hint + 1, left), 1 << 16)
    while left > 0:
        chunk = os.read(fd, min(step, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_file(path: Path, display: str, root: Path | None = None) -> tuple[bytes | None, list[Finding]]:
    """The bytes of a regular file no larger than MAX_BYTES, or the finding that says why not."""
    entry = examine(path, root)
    if entry.target is None:
        return None, [_file_finding(display, "HB001", entry.message, entry.hint)]
    try:
        fd = os.open(entry.target, _OPEN_FLAGS)
    except OSError as exc:
        return None, [_file_finding(display, "HB001", f"cannot read the file: {exc.strerror}",
                                    "check that it exists and is readable")]
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # it changed since examine()
            return None, [_file_finding(display, "HB001", f"cannot read the file: it is {_kind(st.st_mode)}, not a file",
                                        "replace it with an ordinary file holding the YAML text")]
        if st.st_size > MAX_BYTES:
            return None, [_too_big(display, f"{st.st_size / 1048576:.1f} MB, more")]
        raw = _read_capped(fd, st.st_size, MAX_BYTES)
    except OSError as exc:
        return None, [_file_finding(display, "HB001", f"cannot read the file: {exc.strerror}",
                                    "check that it exists and is readable")]
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        return None, [_too_big(display, "more")]
    return raw, []


def _too_big(display: str, amount: str) -> Finding:
    return _file_finding(
        display, "HB001", f"file is {amount} than the {MAX_BYTES // 1048576} MB limit",
        "split it or remove what does not belong in the handbook",
    )


def load_file(path: Path, display: str, root: Path | None = None) -> tuple[Source | None, list[Finding]]:
    """Read and compose one YAML file; return its Source (None if unusable) and findings.

    With ``root`` (the data folder), a symbolic link is followed only to a file inside it.
    """
    raw, refused = read_file(path, display, root)
    if raw is None:
        return None, refused
    return parse_bytes(raw, path, display)


def parse_bytes(raw: bytes, path: Path, display: str) -> tuple[Source | None, list[Finding]]:
    """The YAML text of a file already read: its Source (None if unusable) and findings."""
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
    for number, content in enumerate(text.splitlines() if "\t" in text else (), start=1):
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
        builder = _Builder(source, text)
        empty, data = builder.build()
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
    except _TooDeep as exc:
        return None, [_too_deep(display, *exc.args)]
    # '---' alone, '~' or 'null' compose to a null node: as empty as no text at all.
    if empty:
        return source, [_file_finding(
            display, "HB006", "the file is empty",
            "fill it in or delete it; the data reference lists its fields",
        )]
    source.data = data
    return source, builder.findings


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
