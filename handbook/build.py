"""`handbook build` and `handbook serve`: validate → binders → MkDocs site → exports, atomically.

Everything is written into a temporary sibling of the site directory and swapped in only when
every step succeeded, so a failed or killed build leaves the previous site and PDFs as they were.

The site directory is replaced only when it is missing, empty, or carries the marker a build
writes into it (``.handbook-site``); never when it is, holds or lies in the data or docs folder,
or is or holds the project or current folder. One build at a time writes a site directory (a lock
beside it), and what a killed build left is recognized by the owner record in its folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import gc
import glob
import json
import logging
import os
import re
import shutil
import signal
import socket
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from preparedness_handbook.macros.context import BuildContext, make_context, preset
from preparedness_handbook.macros.render.partials import PageError
from preparedness_handbook.macros.site.blocks import PAGE_ERRORS, check_pages
from preparedness_handbook.macros.site.plugin import settings
from preparedness_handbook.macros.site.sources import default_docs, default_root, organization_docs
from preparedness_handbook.validators.engine import validate
from preparedness_handbook.validators.findings import FORMATTERS
from preparedness_handbook.validators.handbook import Handbook
from preparedness_handbook.validators.models.organization import paper_for

try:
    import fcntl
except ImportError:  # Windows has no fcntl: builds there are not serialized
    fcntl = None  # type: ignore[assignment]


class BuildError(Exception):
    """The build could not finish; the previous site is untouched."""


class SiteDirError(Exception):
    """The site directory cannot be used or written (exit 2); nothing was changed."""


class Terminated(BaseException):
    """The build was stopped by SIGTERM or SIGHUP; raised so that its temporary files go too.

    ``swapped`` says whether the new site was already in place when the signal came.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.swapped = False


def mkdocs_config(data_dir: Path) -> tuple[Path, dict[str, Any]]:
    """The MkDocs configuration a build of ``data_dir`` runs: the file, and what is set over it.

    The repository is the folder holding ``data/``. Its own mkdocs.yml is used when it has one
    (settings it leaves out come from the handbook plugin's defaults); else the default one,
    with the repository's docs/ (its page overrides) as the pages. Whatever the file says, the
    theme is Material and the handbook and macros plugins run.
    """
    from mkdocs.utils.yaml import yaml_load

    repo = data_dir.resolve().parent
    own = repo / "mkdocs.yml"
    overrides: dict[str, Any] = {}
    if not own.is_file():
        overrides["docs_dir"] = str(organization_docs(data_dir) or default_docs())
        return default_root() / "mkdocs.yml", overrides
    try:
        with open(own, "rb") as fd:
            raw = yaml_load(fd) or {}
    except Exception as exc:  # noqa: BLE001 (MkDocs says what is wrong with the YAML)
        raise BuildError(f"{own}: {exc}") from None
    if not isinstance(raw, dict):
        raise BuildError(f"{own}: expected settings (name: value), found {type(raw).__name__}")
    if not raw.get("site_name"):
        overrides["site_name"] = "Handbook"  # MkDocs requires one; the data's handbook_title is shown
    if not (repo / str(raw.get("docs_dir") or "docs")).is_dir():
        overrides["docs_dir"] = str(default_docs())
    theme = raw.get("theme")
    theme = dict(theme) if isinstance(theme, dict) else ({"name": theme} if theme else {})
    if theme.get("name") not in (None, "material"):
        raise BuildError(f"{own}: theme {theme['name']!r}: the handbook's pages need Material for MkDocs; "
                         "write theme: {name: material}, or leave theme out")
    if theme.get("name") is None:
        overrides["theme"] = {**theme, "name": "material"}
    plugins = raw.get("plugins") if isinstance(raw.get("plugins"), list) else ["search"]
    names = [next(iter(p)) if isinstance(p, dict) else p for p in plugins]
    missing = [name for name in ("handbook", "macros") if name not in names]
    if missing:
        overrides["plugins"] = [*plugins, *missing]
    return own, overrides


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _mkdocs_logging() -> Iterator[_Capture]:
    logger = logging.getLogger("mkdocs")
    capture = _Capture()
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(capture)
    logger.setLevel(logging.WARNING)
    logger.propagate = bool(os.environ.get("HANDBOOK_DEBUG"))
    try:
        yield capture
    finally:
        logger.removeHandler(capture)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def mkdocs_build(data_dir: Path, out_dir: Path, ctx: BuildContext, strict: bool, offline: bool = False,
                 site_url: str | None = None) -> list[str]:
    """Build the Material site into out_dir (with the handbook plugin); return MkDocs' warnings.
    ``site_url``: where it is hosted, when not the organization's (the protected edition)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build as run_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file, overrides = mkdocs_config(data_dir)
    overrides.update(site_dir=str(out_dir), strict=strict)
    if offline:
        overrides["use_directory_urls"] = False
    if site_url:
        overrides["site_url"] = site_url
    with _mkdocs_logging() as capture, settings(data_dir=str(data_dir.resolve()), profile=ctx.profile,
                                                today=ctx.today.isoformat(), pdf=ctx.pdf, offline=ctx.offline,
                                                exports=False, serving=False):
        try:
            cfg = load_config(config_file=str(config_file), **overrides)
            if offline:
                _add_offline_plugins(cfg)
            preset(ctx, data_dir)
            run_build(cfg)
        except (MkDocsException, SystemExit) as exc:  # mkdocs-macros exits on a macro error
            if PAGE_ERRORS:  # a page or partial could not be made: say which and why, in one line
                raise PAGE_ERRORS.pop() from None
            details = "\n".join(r.getMessage() for r in capture.records[-10:])
            raise BuildError(f"MkDocs failed ({exc}):\n{details}".rstrip()) from None
    return [r.getMessage() for r in capture.records]


def _add_offline_plugins(cfg: Any) -> None:
    """Material's offline plugin (search from file://) and privacy plugin (nothing external).
    The handbook plugin serves the vendored iframe-worker shim the offline plugin would otherwise
    load from unpkg (macros/site/plugin.py)."""
    from material.plugins.offline.plugin import OfflinePlugin
    from material.plugins.privacy.plugin import PrivacyPlugin

    for name, cls, options in (
        ("material/offline", OfflinePlugin, {}),
        # Nothing is downloaded at build time: an external asset in a page fails the (strict) build
        # instead. Material's bundle names Mermaid on unpkg, loaded only for Mermaid diagrams,
        # which the handbook never has (its diagrams are inline SVG).
        ("material/privacy", PrivacyPlugin, {"assets_fetch": False, "cache": False,
                                             "assets_exclude": ["unpkg.com/mermaid@*"]}),
    ):
        plugin = cls()
        errors, _warnings = plugin.load_config(options, cfg.config_file_path)
        if errors:
            raise BuildError(f"{name} plugin: {errors}")
        cfg["plugins"][name] = plugin


# --- the offline copy loads nothing from the network -----------------------------------------------
# What a browser fetches by itself when it shows a page: these attributes of these elements, the
# stylesheets, icons and manifests a <link> names, and the url()s and @imports of CSS (style
# elements, style attributes and .css files). The text of a page is never a load, even when it
# reads "url(https://…)": a playbook may quote a CSS rule or a script tag.
_LOAD_ATTRS = {
    "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "frame": ("src",),
    "source": ("src", "srcset"), "audio": ("src",), "video": ("src", "poster"), "track": ("src",),
    "embed": ("src",), "object": ("data",), "input": ("src",),
    "image": ("href", "xlink:href"), "use": ("href", "xlink:href"), "feimage": ("href", "xlink:href"),
}
_LINK_LOADS = {"stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch",
               "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon", "manifest"}
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)")


def _remote(url: str) -> bool:
    """Whether a browser would fetch this URL from the network (http:, https: or //host)."""
    url = re.sub(r"[\t\n\r]", "", url).strip().replace("\\", "/").lower()
    return url.startswith(("http:", "https:", "//"))


def _css_loads(css: str) -> list[str]:
    """The remote URLs that CSS text would load: its url()s and @imports, comments left out."""
    css = _CSS_COMMENT.sub("", css)
    urls = [next(g for g in m.groups() if g is not None) for rx in (_CSS_URL, _CSS_IMPORT) for m in rx.finditer(css)]
    unescaped = [_CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), u) for u in urls]
    return [u for u in unescaped if _remote(u)]


class _PageLoads:
    """Parses a page with html.parser and collects what it would load from the network."""

    def __init__(self) -> None:
        from html.parser import HTMLParser

        outer = self
        self.found: list[str] = []

        class Parser(HTMLParser):
            in_style = False

            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                outer._element(tag, dict((k, v or "") for k, v in attrs))
                self.in_style = tag == "style"

            def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                outer._element(tag, dict((k, v or "") for k, v in attrs))

            def handle_endtag(self, tag: str) -> None:
                if tag == "style":
                    self.in_style = False

            def handle_data(self, data: str) -> None:
                if self.in_style:  # the content of <style> is CSS; any other text is just text
                    outer.found += [f"<style> {u}" for u in _css_loads(data)]

        self.parser = Parser(convert_charrefs=True)

    def _element(self, tag: str, attrs: dict[str, str]) -> None:
        for name in _LOAD_ATTRS.get(tag, ()):
            value = attrs.get(name, "")
            urls = [part.split()[0] for part in value.split(",") if part.split()] if name == "srcset" else [value]
            self.found += [f"<{tag} {name}={u}>" for u in urls if _remote(u)]
        if tag == "link" and _LINK_LOADS & set(attrs.get("rel", "").lower().split()) and _remote(attrs.get("href", "")):
            self.found.append(f"<link rel={attrs['rel']} href={attrs['href']}>")
        if "style" in attrs:
            self.found += [f"<{tag} style> {u}" for u in _css_loads(attrs["style"])]
        if tag == "iframe" and attrs.get("srcdoc"):
            self.found += [f"<iframe srcdoc> {u}" for u in external_loads(attrs["srcdoc"], "html")]


def external_loads(text: str, kind: str) -> list[str]:
    """What a page ("html") or a stylesheet ("css") would load from the internet, one line each."""
    if kind == "css":
        return [f"url({u})" for u in _css_loads(text)]
    page = _PageLoads()
    page.parser.feed(text)
    page.parser.close()
    return page.found


def _check_offline(site: Path) -> None:
    """Refuse an offline copy whose pages or stylesheets would load anything from the network."""
    bad = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".css") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            bad += [f"{path.relative_to(site)}: {line[:160]}" for line in external_loads(text, path.suffix[1:])]
    if bad:
        raise BuildError("the offline copy would load files from the internet:\n" + "\n".join(bad[:20]))


# The regular expressions the check used before it parsed pages; they match text as well as
# markup. Kept only because tests/test_offline.py still imports them; the build uses external_loads().
_REMOTE = r"""["']?\s*(?:https?:)?//"""
_EXTERNAL_LOADS = [
    re.compile(r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\ssrc=" + _REMOTE, re.IGNORECASE),
    re.compile(r"<link\b(?=[^>]*\srel=[\"']?(?:stylesheet|preload|modulepreload|icon|manifest))[^>]*?\shref=" + _REMOTE, re.IGNORECASE),
    re.compile(r"@import\s+(?:url\()?" + _REMOTE + r"|url\(" + _REMOTE, re.IGNORECASE),
]


def _checkpoint(stage: str) -> None:
    """Tests stop the build here (HANDBOOK_DEBUG_KILL_AT=stage), as a power cut or Ctrl-C would.

    The signal is SIGKILL, or the one HANDBOOK_DEBUG_KILL_SIGNAL names (TERM, STOP, ...).
    """
    if os.environ.get("HANDBOOK_DEBUG_KILL_AT") == stage:
        name = os.environ.get("HANDBOOK_DEBUG_KILL_SIGNAL", "KILL").upper().removeprefix("SIG")
        os.kill(os.getpid(), getattr(signal, f"SIG{name}"))


# --- which folder a build may replace --------------------------------------------------------------
MARKER = ".handbook-site"   # in the root of every site a build writes: {"written_by": "handbook build", ...}
OWNER = "owner.json"        # in every folder a build or serve works in: whose it is, for the cleanup


def _is_marked(site: Path) -> bool:
    """Whether the folder holds the marker a build writes (a small JSON file, not a link)."""
    try:
        info = os.lstat(site / MARKER)
        if not stat.S_ISREG(info.st_mode) or info.st_size > 4096:
            return False
        record = json.loads((site / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and record.get("written_by") == "handbook build"


def _looks_like_old_site(site: Path) -> bool:
    """A site an older handbook built, before sites were marked: its pages and its JSON export."""
    return (site / "index.html").is_file() and (site / "exports" / "handbook.json").is_file()


def check_site_dir(site: Path, data_dir: Path, root: Path) -> None:
    """Refuse a site directory that replacing could lose anything in; raises SiteDirError.

    ``site`` is resolved (links followed). It may be missing, an empty folder or a folder a build
    wrote (with the marker). It may not be the data or docs folder, lie inside either or hold
    either, nor be or hold the project folder or the current folder, nor be a file.
    """
    site = site.resolve()
    data, root, cwd = data_dir.resolve(), root.resolve(), Path.cwd().resolve()
    docs = (root / "docs").resolve()
    choose = "choose an empty or new folder, e.g. --site-dir site"
    folders = [("the project folder", root), ("the current folder", cwd), ("the data folder", data),
               ("the docs folder", docs)]
    for name, folder in folders:
        if site == folder:
            what = name
            if folder == root:
                what += " (it holds data/ and mkdocs.yml)" if (root / "mkdocs.yml").is_file() else " (it holds data/)"
            raise SiteDirError(f"site dir {site} is {what}; building there would replace it: {choose}")
    for name, folder in folders:
        if folder.is_relative_to(site):
            raise SiteDirError(f"site dir {site} holds {name} {folder}; building there would replace it: {choose}")
    for name, folder in folders[2:]:
        if site.is_relative_to(folder):
            raise SiteDirError(f"site dir {site} is inside {name} {folder}; choose a folder outside it")
    ancestor = site
    while not os.path.lexists(ancestor):
        ancestor = ancestor.parent
    if ancestor != site and not ancestor.is_dir():
        raise SiteDirError(f"site dir {site} cannot be made: {ancestor} is a file, not a folder")
    if not os.path.lexists(site):
        return
    if not site.is_dir():
        raise SiteDirError(f"site dir {site} is a file, not a folder; choose an empty or new folder for the site")
    try:
        with os.scandir(site) as entries:
            empty = next(entries, None) is None
    except OSError as exc:
        raise SiteDirError(f"cannot read site dir {site}: {_reason(exc)}") from None
    if empty or _is_marked(site):
        return
    if _looks_like_old_site(site):
        raise SiteDirError(
            f"site dir {site} holds a site built by an older handbook version, which did not mark its sites "
            f"(no {MARKER} file); check that nothing else is in it, delete it yourself (rm -r {site}) and build again, "
            "or choose an empty or new folder")
    raise SiteDirError(f"site dir {site} holds files the handbook did not write; "
                       "choose an empty or new folder, or remove it yourself")


def _write_marker(site: Path, ctx: BuildContext) -> None:
    """The marker that lets the next build replace this folder: no paths, no personal data."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool = version("preparedness-handbook")
    except PackageNotFoundError:
        tool = "unknown"
    record = {"written_by": "handbook build", "tool_version": tool, "profile": ctx.profile,
              "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    (site / MARKER).write_text(json.dumps(record) + "\n", encoding="utf-8")


# --- errors the system gives when writing, said as what they are ------------------------------------
_REASONS = {
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
}
WRITE_ERRNOS = frozenset(_REASONS)


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def _cannot_write(exc: OSError, site: Path) -> SiteDirError:
    """``cannot write <path>: <reason>``, naming the site dir for the build's own files beside it."""
    name = exc.filename if isinstance(exc.filename, str) else None
    path = Path(name) if name else site
    ours = path == site or (path.is_relative_to(site.parent) and path != site.parent
                            and path.relative_to(site.parent).parts[0].startswith(f".{site.name}."))
    return SiteDirError(f"cannot write {site if ours else path}: {_reason(exc)}")


# --- one build at a time per site directory ---------------------------------------------------------
@contextlib.contextmanager
def _site_lock(site: Path) -> Iterator[None]:
    """Hold ``.<site>.lock`` beside the site dir (flock) for the build; fail at once if it is held."""
    if fcntl is None:
        yield
        return
    path = site.parent / f".{site.name}.lock"
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as exc:
            raise SiteDirError(f"cannot write {site}: {_reason(exc)}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            pid = f" (pid {holder})" if holder.isdigit() else ""
            raise SiteDirError(f"another handbook build is writing {site}{pid}; wait for it to finish, "
                               "or stop it, then build again") from None
        except OSError as exc:  # a file system without locks: build unserialized rather than not at all
            print(f"note: cannot lock {path} ({_reason(exc)}); make sure no other build writes {site}",
                  file=sys.stderr)
            break
        # The holder removes the file when it is done: if it did so after we opened it, the lock
        # we hold is on a file no one else will open. Lock the one that is there now instead.
        try:
            now = os.stat(path)
        except FileNotFoundError:
            os.close(fd)
            continue
        mine = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (mine.st_dev, mine.st_ino):
            os.close(fd)
            continue
        break
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


# --- owner records: what a killed build or serve left, told apart from what is still in use ---------
def _proc_start(pid: int) -> str | None:
    """When the process started (clock ticks since boot, /proc/<pid>/stat); None where unknown."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()[19]


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return None


def _make_owned_dir(parent: Path, prefix: str, purpose: str) -> Path:
    """A new folder whose ``owner.json`` says which process works in it and what for."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    pid = os.getpid()
    record = {"pid": pid, "start": _proc_start(pid), "boot": _boot_id(), "host": socket.gethostname(),
              "for": purpose}
    try:
        (folder / OWNER).write_text(json.dumps(record) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # without its record no cleanup would ever take it
        raise
    return folder


def _owner(folder: Path) -> dict[str, Any] | None:
    """The owner record of a folder (not a link) that a build or serve made; None otherwise."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return None
        record = json.loads((folder / OWNER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("pid"), int) else None


def _owner_alive(record: dict[str, Any]) -> bool:
    """Whether the process that made the folder still runs (the same process, not a reused pid)."""
    if record.get("host") != socket.gethostname():
        return True  # another machine's process: not ours to judge
    pid = record["pid"]
    if pid == os.getpid():
        return False  # this process: the folder is from an earlier build it finished
    if record.get("boot") and _boot_id() and record["boot"] != _boot_id():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    start = _proc_start(pid)
    if record.get("start") and start is not None and start != record["start"]:
        return False  # the pid was given to another process since
    with contextlib.suppress(OSError):
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        if text[text.rindex(")") + 2:].startswith("Z"):
            return False  # exited, not yet reaped
    return True


def _recover(site_dir: Path) -> None:
    """Undo what a killed build left behind: restore a site moved aside, drop its folder.

    Only folders whose owner record names this site dir and a process that is gone are touched.
    """
    parent = site_dir.parent
    for stale in sorted(parent.glob(glob.escape(f".{site_dir.name}.building-") + "*")):
        record = _owner(stale)
        if record is None:
            if re.fullmatch(rf"\.{re.escape(site_dir.name)}\.building-\d+-\w+", stale.name) and stale.is_dir():
                print(f"note: {stale} was left by an older handbook build and may hold a copy of the site; "
                      "remove it yourself", file=sys.stderr)
            continue
        if record.get("for") != str(site_dir):
            continue
        if _owner_alive(record):
            if record.get("host") != socket.gethostname():
                print(f"note: leaving {stale}: a build on {record.get('host')} made it; remove it yourself "
                      "once that build is over", file=sys.stderr)
            continue
        moved_aside = stale / "old-site"
        if moved_aside.is_dir() and not moved_aside.is_symlink() and not os.path.lexists(site_dir):
            moved_aside.rename(site_dir)
        shutil.rmtree(stale, ignore_errors=True)


def _sweep(parent: Path, prefix: str, purpose: str) -> None:
    """Remove the folders ``prefix*`` in ``parent`` that a process now gone made for ``purpose``."""
    for stale in parent.glob(glob.escape(prefix) + "*"):
        record = _owner(stale)
        if record is not None and record.get("for") == purpose and not _owner_alive(record):
            shutil.rmtree(stale, ignore_errors=True)


# --- signals ----------------------------------------------------------------------------------------
_STOPS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)


@contextlib.contextmanager
def _stop_cleanly(exc: type[BaseException] | None = None) -> Iterator[None]:
    """SIGTERM and SIGHUP raise (Terminated, or ``exc``) instead of ending the process on the spot,
    so the temporary folders are removed on the way out. Only in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise (exc() if exc is not None else Terminated(signum))

    old = {s: signal.signal(s, stop) for s in _STOPS}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP while the site is swapped in: they arrive once it is whole."""
    held = {signal.SIGINT, *_STOPS}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# --- swapping the new site in -----------------------------------------------------------------------
def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return rc == 0


def _swap(new: Path, site_dir: Path, trash: Path) -> None:
    """Put the new site in place. With an existing site the two folders are exchanged in one
    atomic step, so at every instant ``site_dir`` holds either the whole old or the whole new site."""
    if site_dir.exists() and _exchange(new, site_dir):
        new.rename(trash)  # ``new`` now holds the old site
        return
    if site_dir.exists():
        site_dir.rename(trash)
        _checkpoint("mid-swap")
    new.rename(site_dir)


def _zip_dir(src: Path, dest: Path) -> None:
    import zipfile

    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(src.rglob("*")):
            if path.is_file():
                zf.write(path, Path("handbook") / path.relative_to(src))


QUIET = False  # --quiet: only findings and errors, no progress


def say(text: str) -> None:
    """A line of progress on stderr (not with --quiet): each stage of a build as it starts."""
    if not QUIET:
        print(text, file=sys.stderr, flush=True)


class Progress:
    """How many PDFs are written, on stderr: a bar redrawn in place on a terminal; elsewhere (a CI
    log, a file) a line at each quarter, so a log of 300 documents does not get 300 lines."""

    WIDTH = 24

    def __init__(self, what: str = "PDFs", stream: Any = None, tty: bool | None = None) -> None:
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.shown = 0  # the last quarter printed, off a terminal

    def __call__(self, done: int, total: int, name: str) -> None:
        if QUIET or total <= 0:
            return
        if self.tty:
            filled = round(self.WIDTH * done / total)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            line = f"  [{bar}] {done}/{total} {self.what}  {name}"
            self.stream.write("\r" + line[:100].ljust(100) + ("\n" if done == total else ""))
            self.stream.flush()
            return
        quarter = 4 * done // total
        if quarter > self.shown:
            self.shown = quarter
            print(f"  {done} of {total} {self.what} written", file=self.stream, flush=True)


# What WeasyPrint needs from the system, and the Debian/Ubuntu packages that hold it.
PDF_LIBRARIES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 and a font such as fonts-dejavu-core"


def check_pdf_libraries() -> None:
    """The PDFs need Pango, HarfBuzz and fonts from the system: say so at the start, in one line,
    rather than fail after the site is half built."""
    try:
        import weasyprint  # noqa: F401  (loads Pango and HarfBuzz through cffi)
    except OSError as exc:
        raise BuildError(
            f"the printed binders need system libraries that are missing ({exc}). Install {PDF_LIBRARIES} "
            "(apt-get install …), or build without them: handbook build --no-pdf"
        ) from None
    import subprocess

    if shutil.which("fc-list") and not subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout.strip():
        raise BuildError(f"the printed binders need at least one font, and none is installed: install {PDF_LIBRARIES}, "
                         "or build with --no-pdf")


def build(data_dir: Path, site_dir: Path, profile: str = "internal", pdf: bool = True, strict: bool = False,
          today: dt.date | None = None, paper: str | None = None, fmt: str = "text", offline: bool = True,
          protect: str | None = None) -> int:
    """``protect``: the passphrase of the protected edition (handbook/protect.py), written into
    ``<site>/protected/``; the site itself is then the public profile."""
    if protect is not None and profile != "public":
        raise BuildError("--protect publishes the internal edition encrypted beside the public site: "
                         "build it with --profile public (the default with --protect)")
    started = time.perf_counter()
    root = data_dir.resolve().parent  # the repository: data/, and its mkdocs.yml and docs/ if it has them
    site_dir = site_dir.resolve()
    check_site_dir(site_dir, data_dir, root)  # before anything is done, so a refusal costs nothing
    if pdf:
        check_pdf_libraries()
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with _stop_cleanly(), _site_lock(site_dir):  # a second build into the same folder stops here
            validated = _validated(data_dir, profile, strict, today, fmt)
            if validated is None:
                return 1
            ctx, hb = validated
            ctx.pdf, ctx.offline = pdf, offline
            inner = _protected_context(ctx, hb, protect, pdf) if protect is not None else None
            paper = paper or paper_for(ctx.hb.organization)
            _recover(site_dir)
            check_site_dir(site_dir, data_dir, root)  # again, now that no other build can change it
            try:
                _build_into(site_dir, ctx, root, data_dir, pdf, paper, offline, inner, protect)
            except PageError as exc:  # a page or partial (the organization's or ours) cannot be made
                raise BuildError(f"{exc}\nThe previous site was not changed.") from None
    except OSError as exc:
        if exc.errno in WRITE_ERRNOS:
            raise _cannot_write(exc, site_dir) from None
        raise
    took = time.perf_counter() - started
    say(f"Built the {profile} handbook into {site_dir} in {took:.1f} s.")
    return 0


def _validated(data_dir: Path, profile: str, strict: bool, today: dt.date | None,
               fmt: str) -> tuple[BuildContext, Handbook] | None:
    """Validate and print the findings; the build context and the data it was made from (before
    redaction), or None when the build must stop."""
    result = validate(data_dir, today)
    if result.findings:
        print(FORMATTERS[fmt](result.findings, result.files))
    if result.handbook is None or not result.ok(strict):
        print("Build stopped: fix the problems above. The previous site was not changed.", file=sys.stderr)
        return None
    result.handbook.forget_positions()  # no more findings: about 20 MB less for 5,000 people
    ctx = make_context(result.handbook, profile)
    # The data stays alive for the whole build: keep the garbage collector from walking all of it
    # again in every collection that MkDocs' own objects set off (5,000-person org: time in the
    # collector 1.6 -> 0.7 s CPU).
    gc.freeze()
    return ctx, result.handbook


def _protected_context(ctx: BuildContext, hb: Handbook, passphrase: str, pdf: bool) -> BuildContext:
    """The internal edition's context for --protect, once the passphrase is known to be strong
    enough (else BuildError, before anything is built)."""
    from .protect import FOLDER, WeakPassphrase, check_strength, organization_words

    try:
        check_strength(passphrase, organization_words(hb))
    except WeakPassphrase as exc:
        raise BuildError(str(exc)) from None
    base = ctx.hb.organization.site_url
    url = str(base).rstrip("/") + f"/{FOLDER}/" if base else None
    inner = make_context(hb, "internal", built=ctx.built, version=ctx.version)
    inner.pdf, inner.offline = pdf, False  # the protected edition is itself the offline copy
    for c in (ctx, inner):
        c.protected, c.protected_url = True, url
    return inner


def _build_into(site_dir: Path, ctx: BuildContext, root: Path, data_dir: Path, pdf: bool, paper: str,
                offline: bool, inner: BuildContext | None = None, passphrase: str | None = None) -> None:
    """Everything, in the staging sibling ``.<site>.building-*``, then swapped in.

    The staging folder holds the prepared docs, the PDFs, the site and the offline copy. It is
    removed on the way out, whatever happens; after a SIGKILL the next build removes it.
    """
    staging = _make_owned_dir(site_dir.parent, f".{site_dir.name}.building-", str(site_dir))
    swapped = False
    try:
        try:
            out = _build_in(staging, ctx, root, data_dir, pdf, paper, offline, inner, passphrase)
            check_site_dir(site_dir, data_dir, root)  # nothing was put into it while we built
            with _signals_held():  # a signal that comes now is raised once the new site is in place
                _swap(out, site_dir, staging / "old-site")
                swapped = True
            _checkpoint("after-swap")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except Terminated as exc:
        exc.swapped = swapped
        raise


def _print_binders(ctx: BuildContext, pdf_out: Path, paper: str, docs: Path) -> None:
    """The PDFs of ``ctx`` into ``pdf_out``. WeasyPrint may read the pages' folder (an
    organization's logo), as MkDocs copies it."""
    from preparedness_handbook.macros.printing.binders import binders_summary, build_binders

    say("Printing the binders …" if not ctx.protected or ctx.public else "Printing the protected edition's binders …")
    messages: list[str] = []
    # The wallet card first: when it cannot fit on two sides the build stops before printing the
    # rest (a minute on a large organization), as it would stop after.
    card = {"wallet-card.pdf"}
    pages = build_binders(ctx, pdf_out, paper=paper, site_dir=docs, messages=messages, only=card)
    sides = pages.get("wallet-card.pdf", 2)
    if sides > 2:
        # Long channel addresses or role descriptions: make the card again with each level on
        # one line, without its summary (the binder holds what each level means). The print
        # sheet of cards, printed with the rest, follows.
        from preparedness_handbook.macros.printing.wallet import CARD_BRIEF

        ctx.cache[CARD_BRIEF] = True
        pages.update(build_binders(ctx, pdf_out, paper=paper, site_dir=docs, messages=messages, only=card))
        sides = pages.get("wallet-card.pdf", 2)
    # The escaping test appends markup to every text field, names included: its card is long
    # by design, and only that test lets it be (HANDBOOK_DEBUG_ALLOW_LONG_CARD=1).
    if sides > 2 and not os.environ.get("HANDBOOK_DEBUG_ALLOW_LONG_CARD"):
        for line in dict.fromkeys(messages):
            print(f"pdf: {line}", file=sys.stderr)
        raise BuildError(
            f"the wallet card would print on {sides} sides, and it must fit on two (front and back). Shorten "
            "what it holds: the summary of each level in severity.yaml, the backup channels in "
            "communications.yaml, or the card itself in partials/printing/wallet.html. "
            "The previous site was not changed.")
    pages.update(build_binders(ctx, pdf_out, paper=paper, site_dir=docs, messages=messages, progress=Progress(),
                               skip=card))
    for line in dict.fromkeys(messages):
        print(f"pdf: {line}", file=sys.stderr)
    say(binders_summary(ctx, pages))


def _build_protected(staging: Path, out: Path, inner: BuildContext, data_dir: Path, pdf: bool,
                     passphrase: str) -> None:
    """--protect: the internal edition (pages, search, exports; its PDFs are printed with the
    others, before MkDocs) built in ``staging`` as any internal build, then encrypted into ``out/protected`` (handbook/protect.py); the plain copy is
    removed at once (and with the staging folder on every exit)."""
    from preparedness_handbook.macros.exports import write_exports
    from preparedness_handbook.macros.views.common import date as written_date

    from .protect import FOLDER, Edition, write_protected

    plain = staging / "protected-site"
    say("Building the protected edition …")
    warnings = mkdocs_build(data_dir, plain, inner, True, site_url=inner.protected_url)
    for w in warnings:
        print(f"mkdocs (protected): {w}", file=sys.stderr)
    if pdf:
        (plain / "pdf").mkdir(exist_ok=True)
        for path in (staging / "protected-pdf").iterdir():
            path.replace(plain / "pdf" / path.name)
    write_exports(inner, plain / "exports")
    say("Encrypting the protected edition …")
    org = inner.hb.organization
    edition = Edition(title=org.handbook_title, organization=org.name, as_of=inner.today.isoformat(),
                      review_by=inner.review_by.isoformat(), as_of_text=written_date(inner.today),
                      review_by_text=written_date(inner.review_by), lang=_language(data_dir))
    write_protected(plain, out / FOLDER, passphrase, edition)
    shutil.rmtree(plain, ignore_errors=True)
    _checkpoint("after-protect")


def _language(data_dir: Path) -> str:
    """The site's language (theme.language in mkdocs.yml, else English), for the unlock page."""
    try:
        from mkdocs.utils.yaml import yaml_load

        config_file, _ = mkdocs_config(data_dir)
        with open(config_file, "rb") as fd:
            raw = yaml_load(fd) or {}
        theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
        return str(theme.get("language") or "en")
    except Exception:  # noqa: BLE001 (only the page's lang attribute)
        return "en"


def _build_in(staging: Path, ctx: BuildContext, root: Path, data_dir: Path, pdf: bool, paper: str,
              offline: bool, inner: BuildContext | None = None, passphrase: str | None = None) -> Path:
    """Make the PDFs, the site, the exports and the offline copy in ``staging``; the site. With
    ``inner`` (--protect), the protected edition too, into its protected/."""
    out = staging / "site"
    docs = organization_docs(data_dir) or default_docs()  # what a page's images are read from
    check_pages(ctx)
    pdf_out = staging / "pdf"
    if pdf:
        # The binders come first, while this process holds only the data: the documents
        # render in processes forked from it, and a fork after MkDocs would start from the
        # memory MkDocs left behind (5,000-person org: about 60 MB more).
        _print_binders(ctx, pdf_out, paper, docs)
        if inner is not None:
            _print_binders(inner, staging / "protected-pdf", paper, docs)
        _checkpoint("after-pdf")
    _checkpoint("before-mkdocs")
    say("Building the site …")
    warnings = mkdocs_build(data_dir, out, ctx, True)
    _checkpoint("after-mkdocs")
    for w in warnings:
        print(f"mkdocs: {w}", file=sys.stderr)
    if pdf:
        (out / "pdf").mkdir(exist_ok=True)
        for path in pdf_out.iterdir():
            path.replace(out / "pdf" / path.name)
    from preparedness_handbook.macros.exports import write_exports

    say("Writing the exports (handbook.json, drills.ics" + ("" if ctx.public else ", contacts") + ") …")
    write_exports(ctx, out / "exports")
    if offline:
        say("Making the offline copy …")
        offline_out = staging / "offline-site"
        mkdocs_build(data_dir, offline_out, ctx, True, offline=True)
        _check_offline(offline_out)
        _zip_dir(offline_out, out / "offline" / "handbook-offline.zip")
    if inner is not None and passphrase is not None:
        _build_protected(staging, out, inner, data_dir, pdf, passphrase)
    _write_marker(out, ctx)
    _checkpoint("before-swap")
    return out


def serve(data_dir: Path, profile: str, dev_addr: str, today: dt.date | None) -> int:
    """Preview with live reload on edits to data/, docs/ and partials/. No PDFs or exports.

    Every rebuild reads the data again (when a file changed): a department, drill or postmortem
    added while serving gets its page at once. A data error does not stop it: the findings are
    printed and shown as a banner on every page, over the last version that had none, until the
    data is fixed. Nothing is written outside one temporary folder (``handbook-serve-*``, which
    holds MkDocs' own site folder). It is removed when serving stops (Ctrl-C, SIGTERM, SIGHUP);
    one a killed serve left is removed by the next serve.
    """
    from mkdocs.commands import serve as mk_serve

    result = validate(data_dir, today)
    if result.findings:
        print(FORMATTERS["text"](result.findings, result.files))
    if result.handbook is None or result.errors:
        print("Fix the errors above, then run handbook serve again.", file=sys.stderr)
        return 1
    ctx = make_context(result.handbook, profile)
    ctx.pdf = False
    preset(ctx, data_dir)
    config_file, overrides = mkdocs_config(data_dir)
    temp = Path(tempfile.gettempdir())
    _sweep(temp, "handbook-serve-", "handbook serve")
    # A process started in the background by a shell inherits SIGINT ignored, and Python then
    # never turns it into KeyboardInterrupt: serve would not stop on Ctrl-C or `kill -INT`.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
    host, _, port = dev_addr.rpartition(":")
    with _stop_cleanly(KeyboardInterrupt):  # MkDocs stops serving on KeyboardInterrupt, then we clean up
        work = _make_owned_dir(temp, "handbook-serve-", "handbook serve")
        old_tempdir = tempfile.tempdir
        try:
            os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
            tempfile.tempdir = str(work)  # MkDocs builds the pages it serves into a mkdtemp() folder
            say(f"Serving the {profile} handbook on http://{host or '127.0.0.1'}:{port}/ — edits to the data "
                "and pages reload it; Ctrl-C stops.")
            with settings(data_dir=str(data_dir.resolve()), profile=profile, today=today.isoformat() if today else None,
                          pdf=False, exports=False, serving=True):
                mk_serve.serve(str(config_file), livereload=True, dev_addr=dev_addr, **overrides)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                print(f"Cannot serve on {dev_addr}: the port is in use. Stop the other server, or choose "
                      "another: handbook serve --dev-addr 127.0.0.1:8001", file=sys.stderr)
                return 1
            raise
        finally:
            tempfile.tempdir = old_tempdir
            shutil.rmtree(work, ignore_errors=True)
    return 0
