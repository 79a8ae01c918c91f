"""Each data file's checked result, kept between runs, as ruff and mypy keep theirs.

An entry is found by a key made of everything the result of loading and checking one file
depends on: its bytes, its name (which says its model), the phone region its national numbers
are read in, this tool's version and a digest of the code of validators/, and the versions of
Python and of the libraries that parse or check values. The date does not enter: no per-file
check reads it (the rules that do, and every rule across files, run each time).

Only files that load and fit their model with no finding are kept; a file with a problem is
parsed again, so its findings and positions are always fresh. An entry holds the model's JSON
(read back by pydantic with the checks that only refuse skipped), the ids as written in the
raw data, and the kinds of the file's phone numbers. Positions (line and column of each value)
are kept beside it the first time a finding needs one; until then a finding in a cached file
re-reads them from the file's bytes.

The folder is per user: ``$HANDBOOK_CACHE_DIR``, else ``$XDG_CACHE_HOME/preparedness-handbook/
validate``, else ``~/.cache/preparedness-handbook/validate``; never inside data/. Entries are
JSON, so reading one cannot run code. Each is written to a temporary file and renamed into
place, so two runs sharing the folder never see half an entry; an entry that is unreadable,
truncated or altered (its body's digest is in its header) is ignored and written again. A cache
that cannot be written (a read-only home) is used as far as it can be, silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .loader import Loc, Source

FORMAT = 1
"""The layout of an entry; a change makes every older entry a miss."""

_ENV = "HANDBOOK_CACHE_DIR"


def default_dir() -> Path:
    """Where the cache lives when nothing else is said (see the module's docstring)."""
    named = os.environ.get(_ENV)
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "preparedness-handbook" / "validate"


def disabled_by_env() -> bool:
    """``HANDBOOK_NO_CACHE=1`` turns the cache off for every command (``mkdocs build`` too)."""
    return os.environ.get("HANDBOOK_NO_CACHE", "") not in ("", "0")


_CODE_DIGEST: str | None = None


def _code_digest() -> str:
    """Version and code of everything that decides a file's result.

    The code of validators/ is hashed as well as the version, so an edited checkout (an
    editable install keeps its version) never reads an entry written by other code.
    """
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        import email_validator
        import phonenumbers
        import pydantic
        import pydantic_core
        import yaml

        h = hashlib.sha256()
        parts = [
            f"format {FORMAT}", sys.version, f"pydantic {pydantic.VERSION}", f"pydantic-core {pydantic_core.__version__}",
            f"phonenumbers {phonenumbers.__version__}", f"email-validator {email_validator.__version__}",
            f"pyyaml {yaml.__version__} libyaml {getattr(yaml, '__with_libyaml__', False)}",
            f"tzdata {_tzdata_version()}",
        ]
        h.update("\n".join(parts).encode())
        here = Path(__file__).resolve().parent
        for path in sorted(here.rglob("*.py")):
            h.update(str(path.relative_to(here)).encode() + b"\0")
            h.update(path.read_bytes())
        _CODE_DIGEST = h.hexdigest()
    return _CODE_DIGEST


def _tzdata_version() -> str:
    # Time zone names are checked against the system's database first, then the tzdata package.
    import zoneinfo

    try:
        import tzdata  # type: ignore[import-not-found]

        version = getattr(tzdata, "IANA_VERSION", "?")
    except ImportError:
        version = "none"
    return f"{version} {os.pathsep.join(zoneinfo.TZPATH)}"


@dataclass
class Hit:
    """What an entry gives back for one file."""

    key: str
    model_json: bytes
    ids: list[list[Any]]
    readable: list[str]
    region: str | None
    phone_types: dict[str, int]


@dataclass
class Cache:
    """The cache folder, and what this run did with it (``hits`` and ``writes`` are for tests)."""

    directory: Path
    hits: int = 0
    misses: int = 0
    writes: int = 0
    _asked: list[tuple[str, Source]] = field(default_factory=list, repr=False)

    # --- keys and entries ------------------------------------------------------------------
    def key(self, name: str, raw: bytes, region: str) -> str:
        h = hashlib.sha256()
        h.update(_code_digest().encode())
        h.update(f"\0{name}\0{region}\0".encode())
        h.update(raw)
        return h.hexdigest()

    def _path(self, key: str, suffix: str = "") -> Path:
        return self.directory / key[:2] / f"{key[2:]}{suffix}.json"

    def get(self, key: str) -> Hit | None:
        body = self._read(self._path(key), key)
        if body is None:
            self.misses += 1
            return None
        header, model_json = body
        try:
            hit = Hit(key, model_json, list(header["ids"]), list(header["readable"]),
                      header["region"], dict(header["phone_types"]))
        except (KeyError, TypeError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return hit

    def put(self, key: str, model_json: bytes, ids: list[list[Any]], readable: list[str],
            region: str | None, phone_types: dict[str, int]) -> None:
        header = {"ids": ids, "readable": readable, "region": region, "phone_types": phone_types}
        self._write(self._path(key), key, header, model_json)

    def _read(self, path: Path, key: str) -> tuple[dict, bytes] | None:
        """Header and body of an entry, or None when it is missing or not whole and right."""
        try:
            with open(path, "rb") as f:
                data = f.read()
            first, _, body = data.partition(b"\n")
            header = json.loads(first)
            if not (isinstance(header, dict) and header.get("format") == FORMAT and header.get("key") == key
                    and header.get("sha256") == hashlib.sha256(body).hexdigest()):
                return None
            return header, body
        except (OSError, ValueError):  # ValueError covers bad JSON and bad UTF-8
            return None

    def _write(self, path: Path, key: str, header: dict, body: bytes) -> None:
        """One line of JSON header, then the body; written whole or not at all."""
        head = {"format": FORMAT, "key": key, "sha256": hashlib.sha256(body).hexdigest(), **header}
        data = json.dumps(head, separators=(",", ":")).encode() + b"\n" + body
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
            tmp = None
            self.writes += 1
        except OSError:
            pass  # a cache that cannot be written only makes the next run slower
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    # --- positions -------------------------------------------------------------------------
    def positions_filler(self, key: str, raw: bytes):
        """Fills a cached file's Source with positions: kept ones, or the file's bytes parsed again."""

        def fill(source: Source) -> None:
            body = self._read(self._path(key, "-positions"), key)
            if body is not None:
                try:
                    source.positions, source.key_positions = _positions_from(json.loads(body[1]))
                    return
                except (ValueError, TypeError, KeyError, IndexError):
                    pass
            from .loader import parse_bytes

            parsed, _ = parse_bytes(raw, source.path, source.display)
            if parsed is not None:
                source.positions, source.key_positions = parsed.positions, parsed.key_positions
                self._asked.append((key, source))

        return fill

    def asked(self, key: str, source: Source) -> None:
        """A file parsed in this run and kept in the cache: its positions are kept if a finding used them."""
        self._asked.append((key, source))

    def keep_positions(self) -> None:
        """Write the positions of every cached file that a finding of this run needed."""
        asked, self._asked = self._asked, []
        for key, source in asked:
            if source.asked and source.positions:
                try:
                    table = _positions_to(source)
                except KeyError:  # not in document order; never seen, but then not worth keeping
                    continue
                body = json.dumps(table, separators=(",", ":")).encode()
                self._write(self._path(key, "-positions"), key, {}, body)


def _positions_to(source: Source) -> dict[str, list]:
    """Positions as flat lists: each node by its parent's number and its own key or index.

    The loader records values in document order, so a node's parent is the last node seen one
    level up, and each key just before its value; writing every path in full took nine times
    the space and most of a cold run's writing. KeyError when the order is not that one.
    """
    if next(iter(source.positions), None) != ():
        raise KeyError(())
    parents, parts, at, keys = [-1], [None], [*source.positions[()]], []
    latest = [0]  # number of the last node seen at each depth
    key_locs = iter(source.key_positions.items())
    key_loc, key_at = next(key_locs, (None, None))
    for loc, (line, col) in source.positions.items():
        depth = len(loc)
        if not depth:
            continue
        n = len(parents)
        parents.append(latest[depth - 1])
        parts.append(loc[-1])
        at += (line, col)
        del latest[depth:]
        latest.append(n)
        if loc == key_loc:
            keys += [n, *key_at]
            key_loc, key_at = next(key_locs, (None, None))
    if key_loc is not None:
        raise KeyError(key_loc)
    return {"parent": parents, "part": parts, "at": at, "key": keys}


def _positions_from(data: dict[str, list]) -> tuple[dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]]:
    parents, parts, at, keys = data["parent"], data["part"], data["at"], data["key"]
    if not (len(parents) == len(parts) and len(at) == 2 * len(parents) and len(keys) % 3 == 0):
        raise ValueError("positions do not match their paths")
    locs: list[Loc] = [()]
    for i in range(1, len(parents)):
        locs.append(locs[parents[i]] + (parts[i],))
    it = iter(at)
    positions = dict(zip(locs, zip(it, it)))
    key_positions = {locs[keys[i]]: (keys[i + 1], keys[i + 2]) for i in range(0, len(keys), 3)}
    return positions, key_positions


def open_cache(use: bool | Cache | None) -> Cache | None:
    """The cache a run uses: an explicit one, the default folder, or none (``False``)."""
    if isinstance(use, Cache):
        return use
    if use is False or (use is None and disabled_by_env()):
        return None
    return Cache(default_dir())
