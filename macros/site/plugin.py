"""The ``handbook`` MkDocs plugin: the handbook's pages and settings inside any MkDocs build.

With it, ``mkdocs build``, ``mkdocs serve`` and ``properdocs build`` in a handbook repository give
the same site as ``handbook build`` (which runs MkDocs with this plugin too). A repository's
mkdocs.yml needs only::

    site_name: Handbook          # MkDocs requires it; organization.yaml's handbook_title is shown
    theme:
      name: material
    plugins:
      - search
      - handbook                 # options: data_dir (default data), profile (internal), today
      - macros

What the plugin does, in MkDocs' order of events:

- ``on_config``: reads and checks the data (a data error stops ``mkdocs build`` with every
  finding; while serving, the last good data is kept and the findings show as a banner on every
  page); applies the settings of defaults.yml the repository's mkdocs.yml does not set; sets the
  site name, the navigation (the page table of site/pages.py, with a page per department, drill
  and postmortem, then the organization's extra pages) and the settings the macros module reads.
- ``on_files``: adds the default pages (docs/ of this project, or the copy the wheel ships) that
  the repository's docs/ does not replace, and a page per data item where no file is written.
- ``on_serve``: watches the data folder and the organization's partials as well.
- While serving, each page's Markdown, HTML, search entries and themed page are kept between
  rebuilds (site/reuse.py), so a rebuild renders again only the pages an edit changes.
- ``on_post_build``: writes the exports (handbook.json, drills.ics, contacts) unless told not to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils.yaml import yaml_load

from preparedness_handbook.macros.context import (
    BuildContext,
    context_key,
    data_stamp,
    make_context,
    peek,
    preset,
)
from preparedness_handbook.macros.render.html import h
from preparedness_handbook.macros.render.sections import STASH, stand_ins
from preparedness_handbook.macros.render.words import capfirst, plural
from preparedness_handbook.macros.site import reuse
from preparedness_handbook.macros.site.blocks import MACRO_NAMES, check_pages, item_ids
from preparedness_handbook.macros.site.pages import ITEM_DIRS, ITEM_PAGES, PAGES
from preparedness_handbook.macros.site.sources import default_docs
from preparedness_handbook.macros.site.sources import defaults as load_defaults

log = logging.getLogger("mkdocs.plugins.handbook")
_ABSENT = object()
ASSETS = Path(__file__).resolve().parents[1] / "assets"
MACROS_MODULE = "preparedness_handbook.macros"

# Material's offline plugin loads iframe-worker's shim from unpkg unless a polyfill naming it is
# listed: the shim is vendored (macros/assets, MIT) and served from the site instead.
OFFLINE_SHIM = ASSETS / "iframe-worker-shim.js"
OFFLINE_SHIM_URL = "assets/javascripts/iframe-worker-shim.js"

# Set by `handbook build` and `handbook serve` for the MkDocs run they start (see settings()); a
# plain `mkdocs build` takes the plugin's options from mkdocs.yml.
_OVERRIDES: dict[str, Any] = {}
# The last data that validated, per data folder and profile: what `serve` shows while the data
# has errors.
_LAST_GOOD: dict[tuple[str, str], BuildContext] = {}
# A page's blocks stand in its Markdown as one word each while Python-Markdown converts its prose,
# and are put back into the HTML after (render/sections.STASH): their HTML is final, and parsing
# it again took a third of a 500-person site's Markdown time. One word per block and page, with a
# nonce drawn once per process, so the same page gives the same Markdown on every rebuild of a
# serve (site/reuse.py keys on it) and no value in the data can know the word.
_BLOCK_NONCE = secrets.token_hex(8)
_BLOCK_WORD = stand_ins(_BLOCK_NONCE)


def _put_back(html: str, held: list) -> str:
    # One pass: a block's own text is never searched for words (a regular expression, not markup).
    # Written as Python-Markdown writes a raw HTML block: a blank line after it, none at the end.
    out = _BLOCK_WORD.sub(lambda m: h('<div class="hb-block" markdown="0">\n{}\n</div>\n', held[int(m.group(1))]), html)
    return out if html.endswith("\n") else out.rstrip("\n")


# MkDocs says "serve" only to the plugins of its first configuration; every rebuild makes new ones.
_SERVING = False


@contextlib.contextmanager
def settings(**values: Any) -> Iterator[None]:
    """Run MkDocs with these plugin options (data_dir, profile, today, pdf, offline, exports,
    serving),
    whatever mkdocs.yml says."""
    old = dict(_OVERRIDES)
    _OVERRIDES.update(values)
    try:
        yield
    finally:
        _OVERRIDES.clear()
        _OVERRIDES.update(old)



def _restore(meta: dict, key: str, old: object) -> None:
    """Put back a page's front-matter value set aside while a kept result was used."""
    if old is _ABSENT:
        meta.pop(key, None)
    else:
        meta[key] = old

class HandbookConfig(Config):
    data_dir = config_options.Type(str, default="data")  # ("data" is taken: a Config is a UserDict)
    profile = config_options.Choice(("internal", "public"), default="internal")
    today = config_options.Optional(config_options.Type(str))
    pdf = config_options.Type(bool, default=False)       # whether the PDFs are there (handbook build)
    exports = config_options.Type(bool, default=True)    # write exports/ after the site
    offline = config_options.Type(bool, default=False)   # whether an offline copy is made (handbook build)


# --- titles and navigation ---------------------------------------------------------------------------
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


def nav_titles(ctx: BuildContext) -> dict[str, str]:
    """The table's navigation titles with the organization's terms in them (capitalized,
    ``{levels}`` plural): page source → title."""
    terms = ctx.terms
    words_for = dict(terms.capitalized())
    for name, value in terms.model_dump().items():
        if isinstance(value, str):
            words_for[name + "s"] = capfirst(plural(2, value, plurals=terms.plurals))
    return {p.source: p.title.format(**words_for) for p in PAGES}


def navigation(base_nav: list[Any], ctx: BuildContext, extra_pages: list[str] = ()) -> list[Any]:  # type: ignore[assignment]
    """The navigation: mkdocs.yml's ``nav`` if it has one, else the page table's (site/pages.py)
    followed by the organization's extra pages, with the generated pages under their section index.

    Titles come from the data, and MkDocs and Material put nav titles into the HTML unescaped:
    they are escaped here (see nav_title).
    """
    hb = ctx.hb
    if not base_nav:
        base_nav = [{nav_title(title): source} for source, title in nav_titles(ctx).items()]
        base_nav += list(extra_pages)  # MkDocs titles them from their first heading
    items = {
        "department": [{nav_title(d.name): f"departments/{d.id}.md"} for d in hb.departments],
        "drill": [{nav_title(d.title): f"drills/{d.id}.md"} for d in hb.drills],
        "postmortem": [{nav_title(p.title): f"rca/{p.id}.md"}
                       for p in sorted(hb.postmortems, key=lambda p: p.incident_date, reverse=True)],
        "form": [{nav_title(f.name): f"forms/{f.id}.md"} for f in hb.forms],
    }
    children = {p.source: items[p.items] for p in PAGES if p.items}
    nav = []
    for entry in base_nav:
        if isinstance(entry, dict) and len(entry) == 1:
            (title, target), = entry.items()
            if isinstance(target, str) and target in children:
                nav.append({title: [target, *children[target]]})
                continue
        nav.append(entry)
    return nav


def generated_pages(ctx: BuildContext) -> dict[str, str]:
    """Pages that exist once per data item: source path → Markdown (the one macro call)."""
    return {f"{ITEM_DIRS[i.kind]}/{ident}.md": f'{{{{ handbook("{i.kind}", "{ident}") }}}}\n'
            for i in ITEM_PAGES for ident in item_ids(ctx, i.kind)}


def own_pages(docs_dir: Path, ctx: BuildContext) -> list[str]:
    """The organization's pages that are neither a default page nor a data item's page."""
    if not docs_dir.is_dir() or docs_dir.resolve() == default_docs().resolve():
        return []
    known = {p.source for p in PAGES} | set(generated_pages(ctx))
    pages = []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        if rel not in known and not _skipped(rel):
            pages.append(rel)
    return pages


def _skipped(rel: str) -> bool:
    """Files of the overrides folder that are not pages: its README and hidden files."""
    return rel == "README.md" or any(part.startswith(".") for part in rel.split("/"))


# --- the plugin --------------------------------------------------------------------------------------
class HandbookPlugin(BasePlugin[HandbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        self.serving = False
        self.ctx: BuildContext | None = None
        self.data_dir: Path | None = None
        self.problems: list[str] = []
        self.exports = True
        # While serving (site/reuse.py): what this build takes from the last one, by page source path.
        self.reuse = False
        self.nav: Any = None
        self.files_key = ""
        self.views_keys: dict[str, str] = {}
        self.views_kept: dict[str, Any] = {}
        self.page_keys: dict[str, str] = {}
        self.pages_kept: dict[str, tuple[str, Any]] = {}
        self.views_base: str | None = None
        # Each page's blocks, set aside while its Markdown is converted (_BLOCK_WORD).
        self.held: dict[str, list] = {}
        self.stash: Any = None
        # Whether pages' macros may be run here, not by mkdocs-macros (_run_here); None until
        # the first page.
        self.run_here: bool | None = None
        self.here_kept: dict[str, Any] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        global _SERVING
        _SERVING = command == "serve"

    def option(self, name: str) -> Any:
        return _OVERRIDES[name] if name in _OVERRIDES else self.config[name]

    @event_priority(100)  # before mkdocs-macros reads the settings, wherever it is listed
    def on_config(self, config: Any) -> Any:
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.data_dir = (root / self.option("data_dir")).resolve()
        profile = self.option("profile")
        today = self.option("today") or os.environ.get("HANDBOOK_TODAY") or None  # as the command line
        try:
            today = dt.date.fromisoformat(today) if isinstance(today, str) else today
        except ValueError:
            raise PluginError(f"handbook plugin: today: {today!r} is not a date; write it as 2026-11-27") from None
        self.serving = bool(_OVERRIDES.get("serving", _SERVING))
        self.exports = bool(self.option("exports"))
        self.reuse = self.serving and os.environ.get("HANDBOOK_SERVE_REBUILD_ALL") != "1"
        # MkDocs keeps a plugin that has on_startup from one rebuild to the next: start afresh.
        self.nav, self.files_key, self.views_base = None, "", None
        self.run_here = None
        for kept in (self.views_keys, self.views_kept, self.page_keys, self.pages_kept, self.held, self.here_kept):
            kept.clear()
        ctx = self.ctx = self._context(self.data_dir, profile, today)
        if self.serving:
            from preparedness_handbook.macros.render.partials import refresh

            refresh(str(ctx.partials) if ctx.partials else None)
        ctx.pdf = bool(self.option("pdf"))
        ctx.offline = bool(self.option("offline"))
        _apply_defaults(config)
        config.site_name = nav_title(ctx.hb.organization.handbook_title)
        offline = "material/offline" in config.plugins
        if ctx.hb.organization.site_url and not config.site_url and not offline:
            config.site_url = str(ctx.hb.organization.site_url)
        if offline:
            config.extra["polyfills"] = [OFFLINE_SHIM_URL]
        config.nav = navigation(config.nav or [], ctx, [] if config.nav else own_pages(Path(config.docs_dir), ctx))
        config.extra["handbook_settings"] = {"data": str(self.data_dir), "profile": profile,
                                             "today": today.isoformat() if today else None}
        macros = config.plugins.get("macros")
        if macros is None:
            raise PluginError("mkdocs.yml: the handbook plugin needs mkdocs-macros after it: "
                              "write plugins: [search, handbook, macros]")
        modules = macros.config["modules"]
        if MACROS_MODULE not in modules:
            modules.append(MACROS_MODULE)
        macros.config["on_error_fail"] = True
        macros.config["on_undefined"] = "strict"
        return config

    def _context(self, data_dir: Path, profile: str, today: dt.date | None) -> BuildContext:
        """The checked data: the build's (preset), the last one while it has not changed, or read
        now. A data error stops a build; while serving, the last good data is shown with a banner."""
        from preparedness_handbook.validators.engine import validate
        from preparedness_handbook.validators.findings import FORMATTERS

        key = context_key(data_dir, profile)
        stamp = data_stamp(data_dir)
        ctx = peek(data_dir, profile)
        if ctx is not None and getattr(ctx, "_stamp", None) == stamp:
            _LAST_GOOD[key] = ctx
            return ctx
        result = validate(data_dir, today)
        if result.handbook is not None and not result.errors:
            ctx = make_context(result.handbook, profile)
            ctx._stamp = stamp  # type: ignore[attr-defined]
            preset(ctx, data_dir)
            _LAST_GOOD[key] = ctx
            self.problems = []
            if self.serving and result.findings:
                print(FORMATTERS["text"](result.findings, result.files), file=sys.stderr, flush=True)
            try:
                check_pages(ctx)
            except Exception as exc:  # a broken page or partial: said as one line
                raise PluginError(str(exc)) from None
            return ctx
        report = FORMATTERS["text"](result.findings, result.files)
        if self.serving and key in _LAST_GOOD:
            print(report, file=sys.stderr)
            print("Still serving the last good version; fix the data and save to see it.", file=sys.stderr, flush=True)
            self.problems = [f.text for f in result.errors]
            return _LAST_GOOD[key]
        raise PluginError(f"the data has errors (run handbook validate):\n{report}")

    def on_files(self, files: Files, *, config: Any) -> Files:
        assert self.ctx is not None
        for rel in [f.src_uri for f in files if _skipped(f.src_uri) and f.src_uri.endswith(".md")]:
            files.remove(files.get_file_from_path(rel))  # the overrides folder's README is not a page
        defaults = default_docs()
        if Path(config.docs_dir).resolve() != defaults.resolve():
            for path in sorted(defaults.rglob("*")):
                rel = path.relative_to(defaults).as_posix()
                if path.is_file() and files.get_file_from_path(rel) is None:
                    files.append(File(rel, src_dir=str(defaults), dest_dir=config.site_dir,
                                      use_directory_urls=config.use_directory_urls))
        for rel, text in generated_pages(self.ctx).items():
            if files.get_file_from_path(rel) is None:  # a hand-written page of that name wins
                files.append(File.generated(config, rel, content=text))
        if "material/offline" in config.plugins:
            for rel, src in ((OFFLINE_SHIM_URL, OFFLINE_SHIM),
                             (OFFLINE_SHIM_URL.replace("shim.js", "LICENSE.txt"), ASSETS / "iframe-worker-LICENSE")):
                if files.get_file_from_path(rel) is None:
                    files.append(File.generated(config, rel, abs_src_path=str(src)))
        return files

    # --- while serving: keep what an edit does not change (site/reuse.py) -------------------------
    def on_pre_build(self, *, config: Any) -> None:
        if self.reuse:
            reuse.keep_search_entries(config.plugins)

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        if self.reuse:
            self.nav = nav
            self.files_key = reuse.files_key(files)
        return nav

    def _views_key(self, markdown: str, page: Any, config: Any) -> str | None:
        """The key of a page's Markdown after its macros, or None when it is not kept (its
        source reads more than the handbook's macros, or mkdocs-macros is set up otherwise)."""
        if self.views_base is None:
            ctx = self.ctx
            macros = config.plugins.get("macros")
            if ctx is None or macros is None or any(v for k, v in macros.config.items()
                                                    if k.startswith("j2_") and k.endswith("_string")):
                self.views_base = ""
            else:
                token = ctx.__dict__.setdefault("_reuse_token", os.urandom(16).hex())  # this object: this data
                self.views_base = reuse.digest(
                    token, ctx.profile, ctx.pdf, ctx.offline, ctx.protected, ctx.protected_url,
                    config.use_directory_urls, "material/offline" in config.plugins,
                    config.extra.get("handbook_settings"), sorted(macros.config.get("modules") or []),
                    reuse.folder_stamp(ctx.partials, reuse.partials_root()))
        if not self.views_base or not reuse.pure_page(markdown, MACRO_NAMES):
            return None
        return reuse.digest(self.views_base, markdown, page.file.src_uri,
                            sorted((str(k), repr(v)) for k, v in (page.meta or {}).items()))

    @event_priority(100)  # before mkdocs-macros
    def _kept_views(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        uri = page.file.src_uri
        self._end_stash()
        if self.reuse:
            key = self._views_key(markdown, page, config)
            kept = None if key is None else reuse.STORES["views"].get(key)
            if kept is not None:
                self.views_kept[uri] = page.meta.get("render_macros", _ABSENT)
                page.meta["render_macros"] = False  # mkdocs-macros passes the kept Markdown through
                self.held[uri] = kept[1]
                return kept[0]
            if key is not None:
                self.views_keys[uri] = key
        held: list = []
        self.held[uri] = held
        self.stash = STASH.set((_BLOCK_NONCE, held))
        here = self._run_here(markdown, page, config)
        if here is None:
            return markdown
        self.here_kept[uri] = page.meta.get("render_macros", _ABSENT)
        page.meta["render_macros"] = False  # mkdocs-macros passes the Markdown made here through
        return here

    def _run_here(self, markdown: str, page: Any, config: Any) -> str | None:
        """The page's Markdown with its macros run here, or None for mkdocs-macros to run them.

        A page that calls only the handbook's macros gives the same Markdown either way; run here,
        its source is compiled once (check_pages already did), not again by mkdocs-macros. Any
        other page, any setting of mkdocs-macros that could change what a call means (its own
        modules, a main.py, other delimiters, variables named as a macro), and any error are
        left to mkdocs-macros, so they behave and are reported exactly as without this."""
        meta = page.meta or {}
        if (not self._may_run_here(config) or self.problems or self.ctx is None
                or meta.get("render_macros") is False or MACRO_NAMES & set(meta)
                or any(m in str(page.title or "") for m in ("{{", "{%", "{#"))
                or not reuse.pure_page(markdown, MACRO_NAMES)):
            return None
        from jinja2 import TemplateError

        from preparedness_handbook.macros.render.partials import PageError
        from preparedness_handbook.macros.site.blocks import render_text
        from preparedness_handbook.macros.site.pages import site_linker

        try:
            return render_text(self.ctx, markdown, site_linker(config, page.file.src_uri), page.file.src_uri)
        except (PageError, TemplateError):
            return None

    def _may_run_here(self, config: Any) -> bool:
        """Whether mkdocs-macros is set up as the handbook sets it up (worked out once a build)."""
        if self.run_here is None:
            macros = config.plugins.get("macros")
            root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
            local = (macros.config.get("module_name") or "main") if macros is not None else "main"
            self.run_here = bool(
                macros is not None and self.ctx is not None
                and list(macros.config.get("modules") or []) == [MACROS_MODULE]
                and not any(v for k, v in macros.config.items() if k.startswith("j2_"))
                and macros.config.get("render_by_default", True)
                and not macros.pre_macro_functions and not macros.post_macro_functions
                and not MACRO_NAMES & set(macros.variables)
                and not (root / f"{local}.py").exists() and not (root / local).is_dir())
        return self.run_here

    def _end_stash(self) -> None:
        if self.stash is not None:
            STASH.reset(self.stash)
            self.stash = None

    @event_priority(-100)  # after mkdocs-macros
    def _keep_views(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        self._end_stash()
        uri = page.file.src_uri
        if uri in self.here_kept:
            _restore(page.meta, "render_macros", self.here_kept.pop(uri))
        if not self.reuse:
            return markdown
        if uri in self.views_kept:
            _restore(page.meta, "render_macros", self.views_kept.pop(uri))
        elif uri in self.views_keys:
            reuse.STORES["views"].put(self.views_keys.pop(uri), (markdown, self.held.get(uri, [])))
        reuse.keep_rendering(page, reuse.digest(
            markdown, uri, page.file.url, self.files_key, config.markdown_extensions,
            sorted((k, repr(v)) for k, v in (config.mdx_configs or {}).items()), config.validation))
        return markdown

    on_page_markdown = CombinedEvent(_kept_views, _keep_views)

    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        if not self.reuse or self.nav is None:
            return env
        from jinja2 import ChoiceLoader, DictLoader

        env.loader = ChoiceLoader([DictLoader({reuse.CACHED_TEMPLATE: "{{ %s }}" % reuse.CACHED_VARIABLE}), env.loader])
        reuse.THEME_CODE.install(env)
        nav, conf = reuse.nav_key(self.nav), reuse.config_key(config)
        for file in files.documentation_pages():
            page = file.page
            if page is None or page.content is None:
                continue
            key = reuse.page_key(page, nav, conf)
            kept = reuse.STORES["template"].get(key)
            if kept is None:
                self.page_keys[file.src_uri] = key
            else:
                self.pages_kept[file.src_uri] = (kept, page.meta.get("template", _ABSENT))
                page.meta["template"] = reuse.CACHED_TEMPLATE  # the theme's output, kept: printed as it is
        return env

    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        kept = self.pages_kept.get(page.file.src_uri)
        if kept is not None:
            from markupsafe import Markup

            context[reuse.CACHED_VARIABLE] = Markup(kept[0])
        return context

    @event_priority(100)  # the theme's output, before any other plugin changes it
    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        uri = page.file.src_uri
        if uri in self.pages_kept:
            _restore(page.meta, "template", self.pages_kept.pop(uri)[1])
        elif uri in self.page_keys:
            reuse.STORES["template"].put(self.page_keys.pop(uri), output)
        return output

    def on_build_error(self, *, error: Exception) -> None:
        self._end_stash()
        if self.reuse:
            reuse.abort_build()

    @event_priority(100)  # the blocks are back before any other plugin reads the page
    def on_page_content(self, html: str, *, page: Any, config: Any, files: Files) -> str:
        held = self.held.pop(page.file.src_uri, None)
        if held:
            html = _put_back(html, held)
        if not self.problems:
            return html
        from preparedness_handbook.macros.render.partials import partial

        assert self.ctx is not None
        return str(partial(self.ctx, "common/data-errors.html", problems=self.problems, shown=10)) + html

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        assert self.data_dir is not None and self.ctx is not None
        server.watch(str(self.data_dir))
        if self.ctx.partials is not None:
            server.watch(str(self.ctx.partials))
        defaults = default_docs()
        if Path(config.docs_dir).resolve() != defaults.resolve() and os.access(defaults, os.W_OK):
            server.watch(str(defaults))  # a checkout of this project: its default pages are edited too
        return server

    def on_post_build(self, *, config: Any) -> None:
        if self.reuse:
            counts = reuse.end_build()
            log.debug("handbook: kept/made " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in counts.items()))
        if self.exports and self.ctx is not None and not self.problems:
            from preparedness_handbook.macros.exports import write_exports

            write_exports(self.ctx, Path(config.site_dir) / "exports")


def _apply_defaults(config: Any) -> None:
    """The settings of defaults.yml that the repository's mkdocs.yml does not set."""
    defaults = load_defaults()
    written: dict[str, Any] = {}
    if config.config_file_path and Path(config.config_file_path).is_file():
        with open(config.config_file_path, "rb") as fd:
            written = yaml_load(fd) or {}
    theme_written = written.get("theme") if isinstance(written.get("theme"), dict) else {}
    for key, value in defaults["theme"].items():
        if key not in theme_written:
            config.theme[key] = value
    if not config.site_description:
        config.site_description = defaults["site_description"]
    config.extra_css = [*defaults["extra_css"], *(c for c in config.extra_css if c not in defaults["extra_css"])]
    for entry in defaults["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        if options and name not in config.mdx_configs:
            config.mdx_configs[name] = options
