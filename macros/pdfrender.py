"""WeasyPrint rendering for the binders: a locked-down URL fetcher and a pool of worker processes.

Binders are independent documents, so they render in parallel, one process per core. Each worker
parses the print stylesheet and sets up fonts once and reuses them for every document it renders;
jobs carry only picklable things (the HTML string and the output path), never the BuildContext.
"""

from __future__ import annotations

import mimetypes
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    """A binder asked for something outside the build; WeasyPrint logs it and leaves it out."""


class BuildFetcher(URLFetcher):
    """Serves data: URIs and files inside the given folders; refuses the network and all else.

    Raising (rather than returning nothing) makes WeasyPrint log the refusal and skip the resource,
    so a hostile or mistaken reference can neither leak a request nor stop the build.
    """

    def __init__(self, roots: list[str] | tuple[str, ...]) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.roots = [Path(r).resolve() for r in roots]

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedURL(f"not fetched: {url} (binders use only files of the build)")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"not fetched: {url} (a file on another host)")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise RefusedURL(f"not fetched: {url} (outside the build)")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})


@dataclass(frozen=True)
class Job:
    name: str      # file name, e.g. "sales.pdf"
    html: str      # the whole document
    dest: str      # where to write it


@dataclass(frozen=True)
class Result:
    name: str
    pages: int
    seconds: float      # wall time of this document
    cpu: float          # CPU time of the process that rendered it, for this document


class Renderer:
    """One parsed stylesheet, one font configuration and one fetcher, reused for every job."""

    def __init__(self, css_text: str, base_url: str, roots: tuple[str, ...]) -> None:
        self.base_url = base_url
        self.fetcher = BuildFetcher(roots)
        self.fonts = FontConfiguration()
        self.css = CSS(string=css_text, base_url=base_url, url_fetcher=self.fetcher, font_config=self.fonts)

    def render(self, job: Job) -> Result:
        started, cpu = time.perf_counter(), time.process_time()
        doc = HTML(string=job.html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            stylesheets=[self.css], font_config=self.fonts,
        )
        doc.write_pdf(job.dest)
        return Result(job.name, len(doc.pages), time.perf_counter() - started, time.process_time() - cpu)


_WORKER: Renderer | None = None


def _init_worker(css_text: str, base_url: str, roots: tuple[str, ...]) -> None:
    global _WORKER
    _WORKER = Renderer(css_text, base_url, roots)


def _run(job: Job) -> Result:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.render(job)


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the already-imported WeasyPrint (seconds of import per worker otherwise); it is
    # only safe while this process runs a single thread, so fall back to a fresh interpreter.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def render_all(jobs: list[Job], css_text: str, base_url: str, roots: tuple[str, ...], workers: int | None = None) -> list[Result]:
    """Render every job; biggest first so the pool's cores finish together. Results in job order."""
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    workers = max(1, min(workers, len(jobs)))
    order = sorted(range(len(jobs)), key=lambda i: len(jobs[i].html), reverse=True)
    results: dict[int, Result] = {}
    if workers == 1:
        renderer = Renderer(css_text, base_url, roots)
        for i in order:
            results[i] = renderer.render(jobs[i])
    else:
        with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker,
                                 initargs=(css_text, base_url, roots)) as pool:
            futures = {i: pool.submit(_run, jobs[i]) for i in order}
            results = {i: f.result() for i, f in futures.items()}
    return [results[i] for i in range(len(jobs))]
