"""WeasyPrint rendering for the binders: a locked-down URL fetcher and a pool of worker processes.

Binders are independent documents, so they render in parallel, up to one at a time per core, and
as many at once as a memory limit allows: WeasyPrint holds a whole laid-out document in memory
until it is written (about 0.7 MB per KB of HTML, 1.4–2.3 MB a page), so the scheduler adds the
estimated memory of the documents rendering at the same time to this process's own and keeps the
sum under the limit, starting the biggest document that fits.

The stylesheet is parsed and the fonts are set up once, in this process. Each document is then
rendered by a process forked for it, which inherits them, writes the PDF and exits, so all of a
document's memory goes back to the system when it is done (a long-lived worker keeps most of it:
Python and the C allocator hold on to freed memory). Jobs carry only the HTML string and the
output path, never the BuildContext. Where fork is unsafe (threads running) or missing, a pool of
fresh interpreters renders one document per process instead.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import mimetypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The memory model and the limit live with the volume planning, which keeps every document
# within what the limit leaves beside the build process.
from preparedness_handbook.macros.printing.volumes import memory_limit, render_mb


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


def _resident_mb() -> float | None:
    """This process's resident memory (Linux), which the forked renderers share."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def document_budget(limit_mb: int) -> float:
    """MB for the documents rendering at once: the limit less what this process holds.

    Forked renderers share this process's pages, so the step's total is about this process's
    resident memory plus each renderer's own. Where that cannot be read, half the limit.
    """
    own = _resident_mb()
    return limit_mb - own if own is not None else limit_mb / 2


@dataclass(frozen=True)
class Job:
    name: str       # file name, e.g. "sales.pdf"
    html: str       # the whole document
    dest: str       # where to write it

    @property
    def memory_mb(self) -> float:
        """What rendering this document is expected to take, in MB."""
        return render_mb(len(self.html))


@dataclass(frozen=True)
class Result:
    name: str
    pages: int
    seconds: float      # wall time of this document
    cpu: float          # CPU time of the process that rendered it, for this document
    messages: tuple[str, ...] = ()  # WeasyPrint's warnings and errors for it, each once


class _Messages(logging.Handler):
    """WeasyPrint's warnings and errors while one document renders (it logs, never raises)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = record.getMessage()
        if line not in self.lines:
            self.lines.append(line)


class Renderer:
    """One parsed stylesheet, one font configuration and one fetcher, reused for every job."""

    def __init__(self, css_text: str, base_url: str, roots: tuple[str, ...]) -> None:
        self.base_url = base_url
        self.fetcher = BuildFetcher(roots)
        self.fonts = FontConfiguration()
        self.css = CSS(string=css_text, base_url=base_url, url_fetcher=self.fetcher, font_config=self.fonts)

    def render(self, job: Job) -> Result:
        started, cpu = time.perf_counter(), time.process_time()
        logger, messages = logging.getLogger("weasyprint"), _Messages()
        logger.addHandler(messages)
        try:
            doc = HTML(string=job.html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                stylesheets=[self.css], font_config=self.fonts,
            )
            doc.write_pdf(job.dest, pdf_tags=True)
        finally:
            logger.removeHandler(messages)
        return Result(job.name, len(doc.pages), time.perf_counter() - started, time.process_time() - cpu,
                      tuple(messages.lines))


_WORKER: Renderer | None = None


def _init_worker(css_text: str, base_url: str, roots: tuple[str, ...]) -> None:
    global _WORKER
    _die_with_parent(os.getppid())
    _WORKER = Renderer(css_text, base_url, roots)


def _die_with_parent(parent: int) -> None:
    """In a renderer process: end when the process that started it ends, even by SIGKILL.

    Linux sends the signal asked for with PR_SET_PDEATHSIG when the parent dies; a parent that died
    before that call is caught by its pid having changed. SIGTERM and SIGHUP get their default
    action back (the build's handlers, inherited by the fork, would raise in here instead).
    """
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _run(job: Job) -> Result:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.render(job)


class RenderError(RuntimeError):
    """A document could not be rendered (its process failed or was killed)."""


def _child(job: Job, conn: multiprocessing.connection.Connection, parent: int) -> None:
    """In a process forked for one document: render it, send back the result or the error."""
    _die_with_parent(parent)
    # Everything inherited from the parent is left alone by this process's garbage collector, so
    # its collections do not touch (and copy) the parent's memory page by page.
    gc.freeze()
    try:
        result: object = _run(job)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        result = exc
    try:
        conn.send(result)
    except Exception as exc:  # an exception that does not pickle
        conn.send(RenderError(f"{job.name}: {type(result).__name__}: {result} ({exc})"))
    finally:
        conn.close()


def _context() -> multiprocessing.context.BaseContext | None:
    """fork, when it is safe: shares the parsed stylesheet and the imported WeasyPrint."""
    # fork is only safe while this process runs a single thread; otherwise fresh interpreters.
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None


def _pick(pending: list[int], jobs: list[Job], used: float, budget: float, idle: bool) -> int | None:
    """The biggest pending document that fits next to those rendering; any one if none are."""
    for n, i in enumerate(pending):
        if used + jobs[i].memory_mb <= budget:
            return pending.pop(n)
    return pending.pop(0) if idle and pending else None


def _to_start(pending: list[int], jobs: list[Job], running: list[int], workers: int, budget: float) -> list[int]:
    """The documents to start now, next to ``running``: as many as free workers and the budget allow."""
    started: list[int] = []
    while pending and len(running) + len(started) < workers:
        used = sum(jobs[i].memory_mb for i in [*running, *started])
        i = _pick(pending, jobs, used, budget, idle=not running and not started)
        if i is None:
            break
        started.append(i)
    return started


def render_all(jobs: list[Job], css_text: str, base_url: str, roots: tuple[str, ...], workers: int | None = None,
               memory_mb: int | None = None, progress: Callable[[int, int, str], None] | None = None) -> list[Result]:
    """Render every job, biggest first, within ``workers`` processes and a memory limit.

    ``memory_mb`` (default $HANDBOOK_PDF_MEMORY_MB or 560) bounds this process and the
    documents rendering at once, by their estimates (``Job.memory_mb``). A document too big for
    what is left renders alone. ``workers=1`` renders in this process, one document after the
    other (for tests and measurements). Results come back in job order. ``progress(done, total,
    name)`` is called as each document is written.
    """
    def finished(i: int, result: Result) -> None:
        results[i] = result
        if progress is not None:
            progress(len(results), len(jobs), jobs[i].name)

    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    workers = max(1, min(workers, len(jobs)))
    limit = memory_limit(memory_mb)
    pending = sorted(range(len(jobs)), key=lambda i: jobs[i].memory_mb, reverse=True)
    results: dict[int, Result] = {}
    if workers == 1:
        renderer = Renderer(css_text, base_url, roots)
        for i in pending:
            finished(i, renderer.render(jobs[i]))
            _give_back()
        return [results[i] for i in range(len(jobs))]
    _give_back()  # what validation freed is returned before the renderers share this process
    budget = document_budget(limit)
    ctx = _context()
    if ctx is None:
        return _render_spawned(jobs, pending, css_text, base_url, roots, workers, budget, finished)
    global _WORKER
    _WORKER = Renderer(css_text, base_url, roots)
    running: dict[int, tuple[multiprocessing.process.BaseProcess, multiprocessing.connection.Connection]] = {}
    try:
        while pending or running:
            for i in _to_start(pending, jobs, list(running), workers, budget):
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(jobs[i], send, os.getpid()), name=f"pdf {jobs[i].name}", daemon=True)
                proc.start()
                send.close()
                running[i] = (proc, recv)
            ready = multiprocessing.connection.wait([conn for _, conn in running.values()])
            for i in [i for i, (_, conn) in running.items() if conn in ready]:
                proc, conn = running.pop(i)
                try:
                    got = conn.recv()
                except EOFError:
                    got = None
                conn.close()
                proc.join()
                if isinstance(got, BaseException):
                    raise got
                if not isinstance(got, Result):
                    raise RenderError(f"{jobs[i].name}: the process rendering it stopped (exit code {proc.exitcode})")
                finished(i, got)
    finally:
        for proc, conn in running.values():
            proc.terminate()
            proc.join()
            conn.close()
        _WORKER = None
    return [results[i] for i in range(len(jobs))]


def _render_spawned(jobs: list[Job], pending: list[int], css_text: str, base_url: str, roots: tuple[str, ...],
                    workers: int, budget: float, finished: Callable[[int, Result], None]) -> list[Result]:
    """The same schedule with fresh interpreters, one per document (when fork is not safe)."""
    methods = multiprocessing.get_all_start_methods()
    mp = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    results: dict[int, Result] = {}

    def done_with(i: int, result: Result) -> None:
        results[i] = result
        finished(i, result)
    running: dict[Future, int] = {}
    with ProcessPoolExecutor(workers, mp_context=mp, initializer=_init_worker, initargs=(css_text, base_url, roots),
                             max_tasks_per_child=1) as pool:
        while pending or running:
            for i in _to_start(pending, jobs, list(running.values()), workers, budget):
                running[pool.submit(_run, jobs[i])] = i
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                done_with(running.pop(future), future.result())
    return [results[i] for i in range(len(jobs))]


def _give_back() -> None:
    """Collect cycles and hand free memory back to the system (after a document, before forking)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
