"""What ``handbook serve`` keeps from one rebuild to the next, so an edit re-renders only the
pages it changes.

MkDocs' ``serve`` rebuilds the whole site on every saved file, with new plugin objects each
time. Four steps of a page's build are kept here between rebuilds, each keyed by a digest of
everything that step reads, so a kept result is used only when the step would give it again:

- **views**: the page's Markdown after its macros ran (mkdocs-macros), keyed by the checked data
  (the same ``BuildContext`` object, which is made again whenever a data file changes), the
  page's source, the organization's and the shipped partials (their names, sizes and times),
  and the link settings. Only pages whose source calls nothing but the handbook's macros are
  kept: a page that reads mkdocs-macros' own variables (``page``, ``config``, ``now()`` …) is
  rendered every time.
- **markdown**: the HTML, table of contents, title and anchors Python-Markdown makes of that
  Markdown, keyed by the Markdown itself, the page's path, the site's file list (links are
  checked against it) and the extensions with their settings. A page whose rendering logged a
  warning is not kept, so the warning (and strict mode) comes back every time.
- **search**: the search index entries Material makes of the page's HTML, keyed by that HTML,
  the page's address, title, table of contents and front matter.
- **template**: the page as the theme writes it, keyed by its final HTML, table of contents,
  title, front matter and address, the whole navigation (titles and addresses, so a renamed or
  added page changes every page), the settings the theme reads, and the theme's own files
  outside the installed packages. A kept page is written through a one-line template that
  prints it.

So a data edit runs the views of every page (which is how the pages that show the changed data
are found: their Markdown differs), and only those pages go through Markdown, search and the
theme. An edit to one page's source, or to a partial, runs only what it changes. Each store
keeps what the last rebuild used, nothing older. Nothing here runs in ``handbook build``.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

CACHED_TEMPLATE = "handbook-kept-page.html"
CACHED_VARIABLE = "handbook_kept_page"


class _Store:
    """Results by key, with what the current build used: at its end everything else is dropped."""

    def __init__(self) -> None:
        self.items: dict[str, Any] = {}
        self.used: set[str] = set()
        self.hits = self.misses = 0

    def get(self, key: str) -> Any:
        value = self.items.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self.items[key] = value
        self.used.add(key)

    def end_build(self) -> None:
        self.items = {k: v for k, v in self.items.items() if k in self.used}
        self.used = set()
        self.hits = self.misses = 0


STORES: dict[str, _Store] = {name: _Store() for name in ("views", "markdown", "search", "template")}


def digest(*parts: Any) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def end_build() -> dict[str, tuple[int, int]]:
    """Drop what this build did not use; return (kept, made) per store, for a debug line."""
    counts = {name: (s.hits, s.misses) for name, s in STORES.items()}
    for store in STORES.values():
        store.end_build()
    return counts


def abort_build() -> None:
    """A rebuild that failed keeps everything, so the next one starts from the last good one."""
    for store in STORES.values():
        store.used.clear()
        store.hits = store.misses = 0


def clear() -> None:
    for store in STORES.values():
        store.items.clear()
        store.used.clear()


# --- views ------------------------------------------------------------------------------------
_PURE: dict[str, bool] = {}


def pure_page(source: str, macro_names: frozenset[str]) -> bool:
    """Whether a page's source calls only the handbook's macros and Jinja's own filters and tests
    (nothing that reads the time, the page or MkDocs' settings), so the same data gives the same
    Markdown."""
    known = _PURE.get(source)
    if known is None:
        import jinja2
        from jinja2 import meta, nodes

        env = jinja2.Environment()
        try:
            ast = env.parse(source)
        except jinja2.TemplateError:
            known = False
        else:
            filters = {n.name for n in ast.find_all(nodes.Filter)}
            known = (meta.find_undeclared_variables(ast) <= macro_names
                     and filters <= set(jinja2.filters.FILTERS) | {"capfirst"}
                     and not any(True for _ in ast.find_all((nodes.Extends, nodes.Include, nodes.Import,
                                                             nodes.FromImport))))
        _PURE[source] = known
    return known


def partials_root() -> Path:
    from preparedness_handbook.macros.render.partials import DEFAULTS

    return DEFAULTS


def folder_stamp(*folders: Path | None) -> tuple:
    """Names, sizes and modification times of every file under these folders."""
    out = []
    for folder in folders:
        if folder is None or not Path(folder).is_dir():
            continue
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(root, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                out.append((path, st.st_size, st.st_mtime_ns))
    return tuple(out)


# --- markdown -----------------------------------------------------------------------------------
def _toc_tokens(items: Any) -> list[dict[str, Any]]:
    return [{"level": a.level, "id": a.id, "name": a.title, "children": _toc_tokens(a.children)} for a in items]


def toc_key(toc: Any) -> str:
    return repr(_toc_tokens(toc or []))


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def keep_rendering(page: Any, key: str) -> None:
    """Make ``page.render`` give the kept HTML for ``key``, or render and keep it (when it logged
    no warning)."""
    from mkdocs.structure.toc import get_toc

    store = STORES["markdown"]
    kept = store.get(key)
    real: Callable[..., None] = page.render

    def restore(config: Any, files: Any) -> None:
        page.content = kept["content"]
        page.toc = get_toc(copy.deepcopy(kept["toc"]))
        page._title_from_render = kept["title"]
        page.present_anchor_ids = set(kept["anchors"])
        if kept["links"] is None:
            page.links_to_anchors = None
        else:
            links = {}
            for uri, anchors in kept["links"].items():
                target = files.get_file_from_path(uri)
                if target is not None:
                    links[target] = dict(anchors)
            page.links_to_anchors = links

    def render_and_keep(config: Any, files: Any) -> None:
        watch = _Warnings()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(watch)
        try:
            real(config, files)
        finally:
            logger.removeHandler(watch)
        if watch.count:
            return
        links = page.links_to_anchors
        store.put(key, {
            "content": page.content, "toc": _toc_tokens(page.toc or []), "title": page._title_from_render,
            "anchors": frozenset(page.present_anchor_ids or ()),
            "links": None if links is None else {f.src_uri: dict(a) for f, a in links.items()},
        })

    page.render = restore if kept is not None else render_and_keep


def files_key(files: Any) -> str:
    return digest(sorted((f.src_uri, f.dest_uri, f.url, f.inclusion.name) for f in files))


# --- search -------------------------------------------------------------------------------------
def keep_search_entries(plugins: Any) -> None:
    """Keep the search entries Material's search plugin makes of each page, by the page."""
    plugin = plugins.get("material/search") or plugins.get("search")
    index = getattr(plugin, "search_index", None)
    if index is None or not hasattr(index, "add_entry_from_context") or not isinstance(getattr(index, "entries", None), list):
        return
    real = index.add_entry_from_context
    store = STORES["search"]
    settings = repr(sorted((k, v) for k, v in plugin.config.items() if k != "enabled"))

    def add(page: Any) -> None:
        meta = page.meta or {}
        key = digest(settings, page.url, page.title, page.content, toc_key(page.toc),
                     meta.get("search"), meta.get("tags"), meta.get("title"))
        kept = store.get(key)
        if kept is not None:
            index.entries.extend(copy.deepcopy(kept))
            return
        first = len(index.entries)
        real(page)
        store.put(key, copy.deepcopy(index.entries[first:]))

    index.add_entry_from_context = add


# --- template -----------------------------------------------------------------------------------
class CompiledTemplates:
    """A Jinja bytecode cache in memory: MkDocs makes a new theme environment for every rebuild,
    which compiled every template of the theme again. Jinja checks each entry against a checksum
    of the template's source, so an edited template is compiled anew."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def install(self, env: Any) -> None:
        from jinja2 import BytecodeCache

        code = self.code

        class _Memory(BytecodeCache):
            def load_bytecode(self, bucket: Any) -> None:
                data = code.get(bucket.key)
                if data is not None:
                    bucket.bytecode_from_string(data)

            def dump_bytecode(self, bucket: Any) -> None:
                code[bucket.key] = bucket.bytecode_to_string()

        env.bytecode_cache = _Memory()


THEME_CODE = CompiledTemplates()


def nav_key(nav: Any) -> str:
    def walk(items: Any) -> list:
        out = []
        for item in items:
            out.append((type(item).__name__, item.title, getattr(item, "url", None),
                        walk(item.children) if getattr(item, "children", None) else None))
        return out
    return digest(walk(nav.items))


_PACKAGED: list[Path] = []


def _packaged_roots() -> list[Path]:
    """Folders of installed packages (the theme's own templates): not stamped file by file."""
    if not _PACKAGED:
        import material
        import mkdocs

        _PACKAGED.extend(Path(m.__file__).resolve().parent for m in (material, mkdocs))
    return _PACKAGED


def config_key(config: Any) -> str:
    """What the theme reads besides the page and the navigation."""
    theme = config.theme
    own_dirs = [d for d in theme.dirs if not any(Path(d).resolve().is_relative_to(r) for r in _packaged_roots())]
    plugins = [(name, repr(sorted(p.config.items()))) for name, p in config.plugins.items()]
    return digest(
        [(k, config.get(k)) for k in ("site_name", "site_url", "site_description", "site_author", "repo_url",
                                      "repo_name", "edit_uri", "copyright", "use_directory_urls", "docs_dir",
                                      "extra", "extra_css", "extra_javascript", "extra_templates", "dev_addr")],
        sorted((k, repr(v)) for k, v in theme.items()), list(theme.dirs), theme.static_templates,
        plugins, folder_stamp(*map(Path, own_dirs)),
    )


def page_key(page: Any, nav: str, conf: str) -> str:
    meta = {k: v for k, v in (page.meta or {}).items()}
    return digest(nav, conf, page.file.src_uri, page.url, page.title, page.content, toc_key(page.toc),
                  repr(sorted(meta.items(), key=lambda kv: str(kv[0]))), page.canonical_url, page.edit_url,
                  page.file.inclusion.name)
