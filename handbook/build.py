"""`handbook build` and `handbook serve`: validate → binders → MkDocs site → exports, atomically.

Everything is written into a temporary sibling of the site directory and swapped in only when
every step succeeded, so a failed or killed build leaves the previous site and PDFs as they were.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from macros.context import BuildContext, make_context, preset
from macros.pages import ITEM_DIRS
from validators.engine import validate
from validators.findings import FORMATTERS


class BuildError(Exception):
    """The build could not finish; the previous site is untouched."""


def project_root() -> Path:
    """The folder holding mkdocs.yml and docs/: the current one, else this project's."""
    here = Path.cwd()
    if (here / "mkdocs.yml").is_file() and (here / "docs").is_dir():
        return here
    return Path(__file__).resolve().parent.parent


def generated_pages(ctx: BuildContext) -> dict[str, str]:
    """Pages that exist once per data item: source path → Markdown (a single macro call)."""
    hb = ctx.hb
    pages = {}
    for kind, items in (("department", hb.departments), ("drill", hb.drills), ("postmortem", hb.postmortems)):
        for item in items:
            pages[f"{ITEM_DIRS[kind]}/{item.id}.md"] = f'{{{{ handbook("{kind}", "{item.id}") }}}}\n'
    return pages


def nav_title(text: str) -> str:
    """A title from the data (nav entries, site name), safe wherever Material prints it.

    Material prints these titles as HTML in some places, escapes them in others, and runs the
    page title in <title> through Jinja's striptags, which unescapes entities. So no form of
    escaping shows right everywhere. The characters that could make markup are replaced by
    look-alikes instead: < > " become ‹ › ”, and an & that would start an entity becomes &amp;.
    A plain "Harbor & Pine" then shows as written in every place. mkdocs-macros also renders
    page titles as Jinja templates, so braces become entities: a title never runs as a template.
    """
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    text = text.replace("{", "&#123;").replace("}", "&#125;")
    return text.replace("<", "\u2039").replace(">", "\u203a").replace('"', "\u201d")


def navigation(base_nav: list[Any], ctx: BuildContext) -> list[Any]:
    """The nav of mkdocs.yml with the generated pages under their section index.

    Titles come from the data, and MkDocs and Material put nav titles into the HTML unescaped:
    they are escaped here (see nav_title).
    """
    hb = ctx.hb
    children = {
        "departments/index.md": [{nav_title(d.name): f"departments/{d.id}.md"} for d in hb.departments],
        "drills/index.md": [{nav_title(d.title): f"drills/{d.id}.md"} for d in hb.drills],
        "rca/index.md": [{nav_title(p.title): f"rca/{p.id}.md"} for p in sorted(hb.postmortems, key=lambda p: p.incident_date, reverse=True)],
    }
    nav = []
    for entry in base_nav:
        if isinstance(entry, dict) and len(entry) == 1:
            (title, target), = entry.items()
            if isinstance(target, str) and target in children:
                nav.append({title: [target, *children[target]]})
                continue
        nav.append(entry)
    return nav


def prepare_docs(src: Path, dest: Path, ctx: BuildContext) -> None:
    shutil.copytree(src, dest)
    for rel, text in generated_pages(ctx).items():
        path = dest / rel
        if path.exists():
            continue  # a hand-written page of that name wins
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


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


def mkdocs_build(root: Path, docs_dir: Path, out_dir: Path, ctx: BuildContext, data_dir: Path,
                 strict: bool, offline: bool = False) -> list[str]:
    """Build the Material site into out_dir; return MkDocs' warnings."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build as run_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _mkdocs_logging() as capture:
        try:
            overrides: dict[str, Any] = {"docs_dir": str(docs_dir), "site_dir": str(out_dir), "strict": strict}
            if offline:
                overrides["use_directory_urls"] = False
            cfg = load_config(config_file=str(root / "mkdocs.yml"), **overrides)
            cfg["extra"] = dict(cfg.get("extra") or {})
            cfg["extra"]["handbook_settings"] = {
                "data": str(data_dir.resolve()),
                "profile": ctx.profile,
                "today": ctx.today.isoformat(),
            }
            cfg["site_name"] = nav_title(ctx.hb.organization.handbook_title)
            if ctx.hb.organization.site_url and not offline:
                cfg["site_url"] = str(ctx.hb.organization.site_url)
            if cfg.get("nav"):
                cfg["nav"] = navigation(cfg["nav"], ctx)
            if offline:
                _add_offline_plugins(cfg)
            preset(ctx, data_dir)
            run_build(cfg)
        except (MkDocsException, SystemExit) as exc:  # mkdocs-macros exits on a macro error
            details = "\n".join(r.getMessage() for r in capture.records[-10:])
            raise BuildError(f"MkDocs failed ({exc}):\n{details}".rstrip()) from None
    return [r.getMessage() for r in capture.records]


# Material's offline plugin adds https://unpkg.com/iframe-worker/shim (search from file://) unless a
# polyfill naming iframe-worker is already listed; the build has no internet, and the copy must
# not need one either, so the shim is vendored (macros/assets, MIT) and served from the site.
OFFLINE_SHIM = Path(__file__).resolve().parent.parent / "macros" / "assets" / "iframe-worker-shim.js"
OFFLINE_SHIM_URL = "assets/javascripts/iframe-worker-shim.js"


def _add_offline_plugins(cfg: Any) -> None:
    """Material's offline plugin (search from file://) and privacy plugin (nothing external)."""
    from material.plugins.offline.plugin import OfflinePlugin
    from material.plugins.privacy.plugin import PrivacyPlugin

    cfg["extra"]["polyfills"] = [OFFLINE_SHIM_URL]
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
    """Tests kill the build here (HANDBOOK_DEBUG_KILL_AT=stage), as a power cut or Ctrl-C would."""
    if os.environ.get("HANDBOOK_DEBUG_KILL_AT") == stage:
        os.kill(os.getpid(), signal.SIGKILL)


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


def _recover(site_dir: Path) -> None:
    """Undo what a killed build left behind: restore a site moved aside, drop stale folders."""
    parent = site_dir.parent
    for stale in parent.glob(f".{site_dir.name}.building-*"):
        pid = stale.name.split("-")[1] if "-" in stale.name else ""
        if pid.isdigit() and _alive(int(pid)):
            continue
        for moved_aside in sorted(stale.glob("old-site")):
            if not site_dir.exists():
                moved_aside.rename(site_dir)
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def _zip_dir(src: Path, dest: Path) -> None:
    import zipfile

    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(src.rglob("*")):
            if path.is_file():
                zf.write(path, Path("handbook") / path.relative_to(src))


def build(data_dir: Path, site_dir: Path, profile: str = "internal", pdf: bool = True, strict: bool = False,
          today: dt.date | None = None, paper: str = "a4", fmt: str = "text", offline: bool = True) -> int:
    started = time.perf_counter()
    result = validate(data_dir, today)
    if result.findings:
        print(FORMATTERS[fmt](result.findings, result.files))
    if result.handbook is None or not result.ok(strict):
        print("Build stopped: fix the problems above. The previous site was not changed.", file=sys.stderr)
        return 1
    result.handbook.forget_positions()  # no more findings: about 20 MB less for 5,000 people
    ctx = make_context(result.handbook, profile)
    ctx.pdf = pdf
    # The data stays alive for the whole build: keep the garbage collector from walking all of it
    # again in every collection that MkDocs' own objects set off (5,000-person org: time in the
    # collector 1.6 -> 0.7 s CPU).
    gc.freeze()
    root = project_root()
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _recover(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-{os.getpid()}-", dir=site_dir.parent))
    work = Path(tempfile.mkdtemp(prefix="handbook-docs-"))
    try:
        out = staging / "site"
        docs = work / "docs"
        prepare_docs(root / "docs", docs, ctx)
        pdf_out = staging / "pdf"
        if pdf:
            # The binders come first, while this process holds only the data: the documents
            # render in processes forked from it, and a fork after MkDocs would start from the
            # memory MkDocs left behind (5,000-person org: about 60 MB more).
            # WeasyPrint may read the prepared docs folder, whose files MkDocs copies into the site.
            from macros.binders import binders_summary, build_binders

            messages: list[str] = []
            pages = build_binders(ctx, pdf_out, paper=paper, site_dir=docs, messages=messages)
            for line in messages:
                print(f"pdf: {line}", file=sys.stderr)
            print(binders_summary(ctx, pages), file=sys.stderr)
            _checkpoint("after-pdf")
        _checkpoint("before-mkdocs")
        warnings = mkdocs_build(root, docs, out, ctx, data_dir, True)
        _checkpoint("after-mkdocs")
        for w in warnings:
            print(f"mkdocs: {w}", file=sys.stderr)
        if pdf:
            (out / "pdf").mkdir(exist_ok=True)
            for path in pdf_out.iterdir():
                path.replace(out / "pdf" / path.name)
        from macros.exports import write_exports

        write_exports(ctx, out / "exports")
        if offline:
            offline_out = work / "offline-site"
            shim = docs / OFFLINE_SHIM_URL
            shim.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(OFFLINE_SHIM, shim)
            shutil.copyfile(OFFLINE_SHIM.with_name("iframe-worker-LICENSE"), shim.with_name("iframe-worker-LICENSE.txt"))
            mkdocs_build(root, docs, offline_out, ctx, data_dir, True, offline=True)
            _check_offline(offline_out)
            _zip_dir(offline_out, out / "offline" / "handbook-offline.zip")
        _checkpoint("before-swap")
        _swap(out, site_dir, staging / "old-site")
        _checkpoint("after-swap")
    except BuildError:
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    took = time.perf_counter() - started
    print(f"Built the {profile} handbook into {site_dir} in {took:.1f} s.", file=sys.stderr)
    return 0


def serve(data_dir: Path, profile: str, dev_addr: str, today: dt.date | None) -> int:
    """Preview with live reload on edits to data/, docs/ and macros/. No PDFs or exports.

    Pages are re-rendered from the data on every reload; a department, drill or postmortem
    added while serving gets its own page after a restart.
    """
    import yaml
    from mkdocs.commands import serve as mk_serve

    result = validate(data_dir, today)
    if result.findings:
        print(FORMATTERS["text"](result.findings, result.files))
    if result.handbook is None or result.errors:
        print("Fix the errors above, then run handbook serve again.", file=sys.stderr)
        return 1
    root = project_root()
    ctx = make_context(result.handbook, profile)
    ctx.pdf = False
    work = Path(tempfile.mkdtemp(prefix="handbook-serve-"))
    docs = work / "docs"
    prepare_docs(root / "docs", docs, ctx)
    base = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        mk_serve.serve(
            str(root / "mkdocs.yml"),
            livereload=True,
            watch=[str(data_dir.resolve()), str(root / "docs"), str(root / "macros")],
            dev_addr=dev_addr,
            docs_dir=str(docs),
            nav=navigation(base.get("nav") or [], ctx),
            extra={"handbook_settings": {
                "data": str(data_dir.resolve()), "profile": profile,
                "today": today.isoformat() if today else None,
            }},
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0
