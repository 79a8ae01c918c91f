"""Measure the handbook against the tools it replaces, all in one run, and print a Markdown table.

    python benchmarks/run.py [--sizes small,medium,large] [--repeat N] [--only validate,site,pdf]
                             [--out benchmarks/out] [--pdf-sizes small,medium] [--today YYYY-MM-DD]

For each size a seeded organization is generated (benchmarks/generate.py), then:

validate  `handbook validate --no-cache` as a fresh process (wall and CPU time, peak RSS), and
          validate() in a warm process, against check-jsonschema with the exported JSON Schemas,
          one process per schema as its command line takes one schema at a time (11 processes);
          then `handbook validate` cold (an empty cache) and warm (the cache it wrote), against
          --no-cache in the same repeat.
site      `handbook build --no-pdf --no-offline` as a process, against `mkdocs build` of the same
          Markdown with the macros plugin removed (pages rendered once beforehand, not timed).
serve     `handbook serve`: a drill's objective edited in drills.yaml until the drill's page is
          served with it (server CPU, wall from the save), against a plain `mkdocs serve` of the
          same Markdown with the same text edited in the drill's page (--serve-sizes).
pdf       the binder step (HTML from the views + WeasyPrint), serial (1 worker) and parallel
          (the build's default), against raw WeasyPrint on the same HTML serially, and against
          mkdocs-to-pdf's PDF step on the plain site; pages per second for each.

Times are medians of --repeat runs. Every baseline is measured in the same run on the same data.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


# --- measuring a process --------------------------------------------------------------------
def _pss(pid: int) -> int | None:
    """Proportional set size in bytes: memory shared after fork() counted once, not per process."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _tree(root: int) -> dict[int, int]:
    """pid → RSS in bytes of a process and all its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = 0 if fields[0] in (b"Z", b"X") else int(fields[21]) * PAGE  # an exited child holds nothing
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    tree, stack = {}, [root]
    while stack:
        pid = stack.pop()
        tree[pid] = rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return tree


def _tree_memory(root: int) -> int | None:
    """Memory of a process and all its descendants, in bytes (PSS where the kernel gives it, else RSS).

    None when a process started or ended while the tree was being read: the processes are read
    one after the other, so a fork or an exit in between counts the pages they share twice
    (the parent read before a fork, then the child with its share; or a child that exited
    counted by its last RSS). The binder step forks a process per document, so such samples
    would otherwise set its peak.
    """
    before = _tree(root)
    total = 0
    for pid, rss in before.items():
        pss = _pss(pid) if rss else 0
        total += pss if pss is not None else rss
    if set(_tree(root)) != set(before):
        return None
    return total


@dataclass
class Sample:
    wall: float
    cpu: float          # user + system of the process and its children
    maxrss: int         # bytes: largest single process (getrusage)
    tree_peak: int = 0  # bytes: largest PSS sum over the process tree, sampled every 0.1 s
    rc: int = 0
    stdout: str = ""
    stderr: str = ""


def run(cmd: list[str], cwd: Path | None = None, tree: bool = False, check: bool = True,
        env_extra: dict[str, str] | None = None) -> Sample:
    """Run a command, wait for it with wait4 to get its own rusage, optionally sample tree RSS."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0", **(env_extra or {}))
    env.pop("GITHUB_ACTIONS", None)
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        peak = [0]
        stop = threading.Event()

        def sampler() -> None:
            while not stop.wait(0.1):
                with contextlib.suppress(Exception):  # a process vanishing mid-scan
                    peak[0] = max(peak[0], _tree_memory(proc.pid) or 0)

        thread = threading.Thread(target=sampler, daemon=True) if tree else None
        if thread:
            thread.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        stop.set()
        if thread:
            thread.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        sample = Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, peak[0],
                        proc.returncode, out.read(), err.read())
    if check and sample.rc != 0:
        raise SystemExit(f"command failed ({sample.rc}): {' '.join(cmd)}\n{sample.stdout[-2000:]}\n{sample.stderr[-2000:]}")
    return sample


def task(name: str, **args: Any) -> tuple[dict[str, Any], Sample]:
    s = run([sys.executable, str(HERE / "tasks.py"), name, json.dumps(args)], tree=True)
    return json.loads(s.stdout.strip().splitlines()[-1]), s


# The `handbook` command's own entry point, run(): `python -m …cli` exits through sys.exit, so
# it would also time the collection and teardown that `handbook validate` skips as it exits.
_COMMAND = "import sys; from preparedness_handbook.handbook.cli import run; sys.argv[0] = 'handbook'; run()"


def handbook(*args: str, tree: bool = False, env_extra: dict[str, str] | None = None) -> Sample:
    return run([sys.executable, "-c", _COMMAND, *args], cwd=ROOT, tree=tree, env_extra=env_extra)


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# --- results ----------------------------------------------------------------------------------
@dataclass
class Row:
    size: str
    what: str
    ours: str
    base: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    def add(self, *a: str) -> None:
        self.rows.append(Row(*a))
        print("  " + " | ".join(a), file=sys.stderr, flush=True)


def secs(x: float) -> str:
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def mb(x: int) -> str:
    return f"{x / 1048576:.0f} MB"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# --- the measurements -------------------------------------------------------------------------
# On a shared machine wall time says as much about the neighbours as about the code, so the
# verdicts use CPU time (user + system, of every process involved) and the table shows the best
# wall time of the repeats next to it. Parallel rendering is judged by the wall time it would take
# on an idle machine with the same cores: the larger of total CPU / cores and the longest document.
def bench_validate(size: str, data: Path, today: str, repeat: int, out: Path, rep: Report) -> None:
    schemas = out / "schemas"
    from preparedness_handbook.validators.schema import write_schemas

    write_schemas(schemas)
    groups: list[tuple[Path, list[Path]]] = [(schemas / f"{f.stem}.schema.json", [f]) for f in sorted(data.glob("*.yaml"))]
    pms = sorted((data / "postmortems").glob("*.yaml"))
    if pms:
        groups.append((schemas / "postmortem.schema.json", pms))
    samples: list[Sample] = []
    colds: list[Sample] = []
    warms: list[Sample] = []
    cj_walls, cj_cpus, cj_rss = [], [], 0
    args = ["validate", "--data", str(data), "--today", today]
    for i in range(repeat):  # interleaved, so that all see the same neighbours
        s = handbook(*args, "--no-cache")
        if "0 errors" not in s.stdout:
            raise SystemExit(f"{data} does not validate:\n{s.stdout[-3000:]}")
        samples.append(s)
        # cold: an empty cache, every entry written; warm: the same cache read back. Python's own
        # stdlib is in the OS page cache after the first run either way, so 'cold' is the cache's.
        folder = out / f"cache-{size}-{i}"
        shutil.rmtree(folder, ignore_errors=True)
        cache = {"HANDBOOK_CACHE_DIR": str(folder)}
        colds.append(handbook(*args, env_extra=cache))
        warms.append(handbook(*args, env_extra=cache))
        if not (colds[-1].stdout == warms[-1].stdout == s.stdout):
            raise SystemExit(f"{data}: validate answered differently with the cache")
        w = c = 0.0
        for schema, files in groups:
            s = run(["check-jsonschema", "--schemafile", str(schema), *map(str, files)])
            w, c, cj_rss = w + s.wall, c + s.cpu, max(cj_rss, s.maxrss)
        cj_walls.append(w)
        cj_cpus.append(c)
    wall, cpu = min(s.wall for s in samples), median([s.cpu for s in samples])
    rss = max(s.maxrss for s in samples)
    inproc, _ = task("validate_inproc", data=str(data), today=today, repeat=repeat)
    in_cpu = median([r["cpu"] for r in inproc["runs"]])
    cj_wall, cj_cpu = min(cj_walls), median(cj_cpus)
    rep.raw[f"{size}.validate"] = {
        "handbook": [{"wall": s.wall, "cpu": s.cpu, "maxrss": s.maxrss} for s in samples],
        "inproc": inproc, "check_jsonschema": {"wall": cj_walls, "cpu": cj_cpus, "processes": len(groups)}}
    large = size == "large"
    ok = cpu < 1 and cpu / cj_cpu <= 0.3
    rep.add(size, "validate: `handbook validate --no-cache`, fresh process: CPU (best wall)", f"{secs(cpu)} ({secs(wall)})",
            f"check-jsonschema, {len(groups)} processes: {secs(cj_cpu)} ({secs(cj_wall)})", f"{cpu / cj_cpu:.2f}×",
            "< 1 s and ≤ 0.3×" if large else "", verdict(ok) if large else "")
    cold_cpu, cold_wall = median([s.cpu for s in colds]), min(s.wall for s in colds)
    warm_cpu, warm_wall = median([s.cpu for s in warms]), min(s.wall for s in warms)
    rep.raw[f"{size}.validate"]["cold"] = [{"wall": s.wall, "cpu": s.cpu} for s in colds]
    rep.raw[f"{size}.validate"]["warm"] = [{"wall": s.wall, "cpu": s.cpu} for s in warms]
    rep.add(size, "validate cold: fresh process, empty cache (writes every entry): CPU (best wall)",
            f"{secs(cold_cpu)} ({secs(cold_wall)})", f"--no-cache {secs(cpu)}", f"{cold_cpu / cpu:.2f}×",
            "≤ 1.2 s CPU" if large else "", verdict(cold_cpu <= 1.2) if large else "")
    rep.add(size, "validate warm: fresh process, every file from the cache: best wall (CPU)",
            f"{secs(warm_wall)} ({secs(warm_cpu)})", f"--no-cache {secs(wall)} ({secs(cpu)})", f"{warm_wall / wall:.2f}×",
            "< 1 s wall" if large else "", verdict(warm_wall < 1) if large else "")
    rep.add(size, "validate: `validate()` in a warm process (no start-up, no imports, no cache): CPU", secs(in_cpu))
    rep.add(size, "validate: peak RSS", mb(rss), f"check-jsonschema {mb(cj_rss)}", "",
            "≤ 600 MB" if large else "", verdict(rss <= 600 * 1048576) if large else "")


def bench_site(size: str, data: Path, today: str, repeat: int, out: Path, rep: Report) -> None:
    plain = out / f"plain-{size}"
    info, _ = task("render_plain", data=str(data), today=today, out=str(plain))
    site = out / f"site-{size}"
    plain_site = out / f"plain-site-{size}"
    ours, base = [], []
    for _ in range(repeat):  # interleaved, so that both see the same neighbours
        ours.append(handbook("build", "--data", str(data), "--today", today, "--no-pdf", "--no-offline",
                             "--site-dir", str(site), tree=True))
        base.append(run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(plain / "mkdocs.yml"),
                         "-d", str(plain_site)], tree=True))
    phases, _ = task("build_phases", data=str(data), today=today, site=str(out / f"site-phases-{size}"))
    wall, bwall = min(s.wall for s in ours), min(s.wall for s in base)
    cpu, bcpu = median([s.cpu for s in ours]), median([s.cpu for s in base])
    peak = max(max(s.tree_peak, s.maxrss) for s in ours)
    rep.raw[f"{size}.site"] = {"handbook": [{"wall": s.wall, "cpu": s.cpu} for s in ours],
                               "mkdocs": [{"wall": s.wall, "cpu": s.cpu} for s in base],
                               "pages": info["pages"], "phases": phases}
    large = size == "large"
    targeted = size in ("medium", "large")  # issue 18: ≤ 1.2× on the medium and large orgs
    rep.add(size, f"site: `handbook build --no-pdf --no-offline`, {info['pages']} pages: CPU (best wall)",
            f"{secs(cpu)} ({secs(wall)})", f"plain `mkdocs build`: {secs(bcpu)} ({secs(bwall)})", f"{cpu / bcpu:.2f}×",
            "≤ 1.2×" if targeted else "", verdict(cpu / bcpu <= 1.2) if targeted else "")
    ph = phases["phases"]
    parts = [("validate", "validate"), ("views", "macros: views"), ("exports", "exports (json, ics, vcf)"),
             ("MkDocs with the macros plugin", "mkdocs itself (build minus macros)")]
    rep.add(size, "site: where the build's CPU goes (one in-process build)",
            ", ".join(f"{name} {ph.get(key, 0):.1f} s" for name, key in parts) + f"; total {phases['total']['cpu']:.1f} s")
    rep.add(size, "site: peak memory (process tree)", mb(peak), f"mkdocs {mb(max(s.maxrss for s in base))}", "",
            "≤ 600 MB" if large else "", verdict(peak <= 600 * 1048576) if large else "")


def bench_pdf(size: str, data: Path, today: str, repeat: int, out: Path, rep: Report) -> None:
    html_dir = out / f"print-html-{size}"
    cores = os.cpu_count() or 1
    serial, parallel, s_all = [], [], []
    for i in range(repeat):
        r, s = task("binders", data=str(data), today=today, out=str(out / f"pdf-serial-{size}"), workers=1,
                    html_dir=str(html_dir) if i == 0 else "")
        serial.append(r)
        s_all.append(s)
        r, s = task("binders", data=str(data), today=today, out=str(out / f"pdf-parallel-{size}"), workers=None)
        parallel.append(r)
        s_all.append(s)
    raw = [task("raw_weasyprint", html_dir=str(html_dir), out=str(out / f"pdf-raw-{size}"))[0] for _ in range(repeat)]
    plain = out / f"plain-{size}"
    if not (plain / "mkdocs-to-pdf.yml").exists():
        task("render_plain", data=str(data), today=today, out=str(plain))
    mtp = [task("mkdocs_to_pdf", config=str(plain / "mkdocs-to-pdf.yml"), site=str(out / f"mtp-site-{size}"))
           for _ in range(repeat)]
    pages, raw_pages, mtp_pages = serial[0]["pages"], raw[0]["pages"], mtp[0][0]["pages"]
    ser_cpu = median([r["cpu"] for r in serial])
    par_cpu = median([r["cpu"] for r in parallel])
    longest = median([r["longest_cpu"] for r in parallel])
    par_idle = max(par_cpu / cores, longest)      # what the pool takes on an idle machine
    raw_cpu = median([r["cpu"] for r in raw])
    mtp_cpu = median([m[0]["pdf"]["cpu"] for m in mtp])  # one document: its idle wall is its CPU
    walls = {"serial": min(r["wall"] for r in serial), "parallel": min(r["wall"] for r in parallel),
             "raw": min(r["wall"] for r in raw), "mtp": min(m[0]["pdf"]["wall"] for m in mtp)}
    pps = {"serial": pages / ser_cpu, "parallel_idle": pages / par_idle, "raw": raw_pages / raw_cpu,
           "mtp": mtp_pages / mtp_cpu}
    peak = max(max(s.tree_peak, s.maxrss) for s in s_all)
    rep.raw[f"{size}.pdf"] = {"serial": serial, "parallel": parallel, "raw": raw,
                              "mkdocs_to_pdf": [m[0] for m in mtp], "pages_per_second": pps, "walls": walls}
    check = size == rep.raw.get("pdf_target_size")
    docs = serial[0]["documents"]
    big = parallel[0]["longest_name"]
    rep.add(size, f"pdf: binder step, 1 process ({docs} documents, {pages} pages): CPU (wall)",
            f"{secs(ser_cpu)} ({secs(walls['serial'])})",
            f"raw WeasyPrint, same HTML ({raw_pages} pages): {secs(raw_cpu)} ({secs(walls['raw'])})")
    rep.add(size, "pdf: pages per CPU second, binders (1 process) vs raw WeasyPrint", f"{pps['serial']:.2f}",
            f"{pps['raw']:.2f}", f"{pps['serial'] / pps['raw']:.2f}×", "≥ 1.0×" if check else "",  # issue 18 (was 0.85×)
            verdict(pps["serial"] / pps["raw"] >= 1.0) if check else "")
    rep.add(size, f"pdf: binder step, {cores} workers: CPU; idle-machine wall = max(CPU/{cores}, longest document "
            f"{big} {secs(longest)}) (measured wall)", f"{secs(par_cpu)}; {secs(par_idle)} ({secs(walls['parallel'])})",
            f"1 process: {secs(ser_cpu)} ({secs(walls['serial'])})", f"{ser_cpu / par_idle:.2f}× speed-up")
    rep.add(size, f"pdf: pages/s, binders ({cores} workers, idle-machine wall) vs mkdocs-to-pdf PDF step "
            f"({mtp_pages} pages, {secs(mtp_cpu)} CPU, {secs(walls['mtp'])} wall)", f"{pps['parallel_idle']:.2f}",
            f"{pps['mtp']:.2f}", f"{pps['parallel_idle'] / pps['mtp']:.2f}×", "≥ 3×" if check else "",
            verdict(pps["parallel_idle"] / pps["mtp"] >= 3) if check else "")
    rep.add(size, "pdf: pages/s, measured wall (noisy): binders 2 workers / 1 process / raw / mkdocs-to-pdf",
            f"{pages / walls['parallel']:.2f} / {pages / walls['serial']:.2f}",
            f"{raw_pages / walls['raw']:.2f} / {mtp_pages / walls['mtp']:.2f}")
    mem = size == "large" or (check and not rep.raw.get("memory_on_large"))
    rep.add(size, "pdf: peak memory, binder step (process tree)", mb(peak), "", "",
            "≤ 600 MB" if mem else "", verdict(peak <= 600 * 1048576) if mem else "")


def bench_pdf_binders_only(size: str, data: Path, today: str, out: Path, rep: Report) -> None:
    """The build's binder step once, with its peak memory, and no baselines (they take too long)."""
    cores = os.cpu_count() or 1
    r, s = task("binders", data=str(data), today=today, out=str(out / f"pdf-parallel-{size}"), workers=None)
    idle = max(r["cpu"] / cores, r["longest_cpu"])
    peak = max(s.tree_peak, s.maxrss)
    rep.raw[f"{size}.pdf_binders_only"] = r | {"tree_peak": peak, "task_cpu": s.cpu, "task_wall": s.wall}
    big = sorted(r["per_file"].items(), key=lambda kv: -kv[1][1])[:2]
    rep.add(size, f"pdf: binder step only, {cores} workers ({r['documents']} documents, {r['pages']} pages; largest "
            + ", ".join(f"{n} {p} pages {c:.0f} s CPU" for n, (p, c) in big) + "): CPU; idle-machine wall (measured wall)",
            f"{secs(r['cpu'])}; {secs(idle)} ({secs(r['wall'])})", "", f"{r['pages'] / idle:.2f} pages/s")
    rep.add(size, "pdf: peak memory, binder step (process tree)", mb(peak), "", "",
            "≤ 600 MB" if size == "large" else "", verdict(peak <= 600 * 1048576) if size == "large" else "")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _served(url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as page:
            return page.read().decode("utf-8")
    except OSError:
        return ""


def _reloads(cmd: list[str], cwd: Path, page_url: str, edit, repeat: int, env_extra: dict[str, str]) -> list[dict[str, float]]:
    """Start a server, then `repeat` times: edit a file (edit(n) returns the text the page then
    shows) and time until the served page shows it: wall from the write, and the server's CPU."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0", **env_extra)
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while not _served(page_url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not start: {' '.join(cmd)}")
            time.sleep(0.2)
        time.sleep(1.0)  # the watcher takes its first snapshot after the first build
        runs = []
        for n in range(repeat + 1):  # the first reload warms what the server keeps (not counted)
            cpu0, start = _cpu_of(proc.pid), time.perf_counter()
            expected = edit(n)
            while expected not in _served(page_url):
                if proc.poll() is not None or time.perf_counter() - start > 300:
                    raise SystemExit(f"the page never showed the edit: {' '.join(cmd)}")
                time.sleep(0.02)
            wall = time.perf_counter() - start
            if n:
                runs.append({"wall": wall, "cpu": _cpu_of(proc.pid) - cpu0})
            time.sleep(0.7)
        return runs
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def bench_serve(size: str, data: Path, today: str, repeat: int, out: Path, rep: Report) -> None:
    """`handbook serve`: one drill objective edited in drills.yaml, until the drill's served page
    shows it; against a plain `mkdocs serve` of the same Markdown with the same text edited in
    that drill's page (MkDocs rebuilds every page on every change)."""
    import yaml

    work = out / f"serve-{size}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(data, work / "data")  # edited here, never in the original
    drills = work / "data" / "drills.yaml"
    first = yaml.safe_load(drills.read_text(encoding="utf-8"))["drills"][0]
    ident, objective = first["id"], first["objectives"][0]
    plain = out / f"plain-serve-{size}"
    info, _ = task("render_plain", data=str(work / "data"), today=today, out=str(plain))
    page_md = plain / "docs" / "drills" / f"{ident}.md"

    def editor(path: Path):
        state = {"text": objective}

        def edit(n: int) -> str:
            new = f"{objective} (edit {n})"
            text = path.read_text(encoding="utf-8")
            if state["text"] not in text:
                raise SystemExit(f"{path}: the objective {state['text']!r} is not in it")
            path.write_text(text.replace(state["text"], new, 1), encoding="utf-8")
            state["text"] = new
            return new
        return edit

    ours_port, base_port = _free_port(), _free_port()
    ours = _reloads([sys.executable, "-c", _COMMAND, "serve", "--data", str(work / "data"), "--today", today,
                     "--dev-addr", f"127.0.0.1:{ours_port}"], work,
                    f"http://127.0.0.1:{ours_port}/drills/{ident}/", editor(drills), repeat,
                    {"HANDBOOK_CACHE_DIR": str(out / "cache")})
    base = _reloads([sys.executable, "-m", "mkdocs", "serve", "-q", "-f", str(plain / "mkdocs.yml"),
                     "-a", f"127.0.0.1:{base_port}", "--livereload"], plain,
                    f"http://127.0.0.1:{base_port}/drills/{ident}/", editor(page_md), repeat, {})
    cpu, bcpu = median([r["cpu"] for r in ours]), median([r["cpu"] for r in base])
    wall, bwall = median([r["wall"] for r in ours]), median([r["wall"] for r in base])
    rep.raw[f"{size}.serve"] = {"handbook": ours, "mkdocs_serve": base, "pages": info["pages"]}
    limit = {"sample": 1.0, "medium": 1.5}.get(size)
    rep.add(size, f"serve reload: a drill's objective edited in drills.yaml until its page is served, {info['pages']} "
            "pages: server CPU (median wall from the save)", f"{secs(cpu)} ({secs(wall)})",
            f"plain `mkdocs serve`, same edit in the page's Markdown: {secs(bcpu)} ({secs(bwall)})",
            f"{cpu / bcpu:.2f}×", f"< {limit:g} s" if limit else "", verdict(cpu < limit) if limit else "")


def bench_full_build(size: str, data: Path, today: str, out: Path, rep: Report) -> None:
    """`handbook build` as a user runs it (site, PDFs, exports, offline zip), once: CPU, wall, memory."""
    site = out / f"full-build-{size}"
    s = handbook("build", "--data", str(data), "--today", today, "--site-dir", str(site), tree=True)
    peak = max(s.tree_peak, s.maxrss)
    pdfs = sorted((site / "pdf").glob("*.pdf"))
    rep.raw[f"{size}.full_build"] = {"cpu": s.cpu, "wall": s.wall, "tree_peak": peak, "pdfs": len(pdfs)}
    rep.add(size, f"full `handbook build` (site, {len(pdfs)} PDFs, exports, offline zip): CPU (wall)",
            f"{secs(s.cpu)} ({secs(s.wall)})", "", "")
    rep.add(size, "full `handbook build`: peak memory (process tree)", mb(peak), "", "",
            "≤ 600 MB" if size == "large" else "", verdict(peak <= 600 * 1048576) if size == "large" else "")
    site_raw, pdf_raw = rep.raw.get(f"{size}.site"), rep.raw.get(f"{size}.pdf")
    if not (site_raw and pdf_raw):
        return  # the baseline is made of the site's and the PDFs' own, measured in this run
    # What the same outputs cost with the tools the handbook replaces: the plain site, the same
    # site again with Material's offline and privacy plugins (the offline copy), and raw
    # WeasyPrint on the same print HTML. The handbook's exports have no counterpart.
    import yaml

    plain = out / f"plain-{size}"
    cfg = yaml.safe_load((plain / "mkdocs.yml").read_text(encoding="utf-8"))
    # As the handbook's offline pass sets them up (handbook/build.py): nothing fetched, Mermaid
    # (never used) excluded, and the iframe-worker shim served from the site, not from unpkg.
    cfg["plugins"] = ["search", "offline", {"privacy": {"assets_fetch": False, "cache": False,
                                                        "assets_exclude": ["unpkg.com/mermaid@*"]}}]
    shim = "assets/javascripts/iframe-worker-shim.js"
    (plain / "docs" / shim).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "macros" / "assets" / "iframe-worker-shim.js", plain / "docs" / shim)
    cfg.setdefault("extra", {})["polyfills"] = [shim]
    offline_yml = plain / "mkdocs-offline.yml"
    offline_yml.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    off = run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(offline_yml),
               "-d", str(out / f"plain-offline-site-{size}")], tree=True)
    mk = median([r["cpu"] for r in site_raw["mkdocs"]])
    raw = median([r["cpu"] for r in pdf_raw["raw"]])
    base = mk + off.cpu + raw
    rep.raw[f"{size}.full_build"]["baseline"] = {"mkdocs": mk, "mkdocs_offline": off.cpu, "raw_weasyprint": raw}
    rep.add(size, "full `handbook build` against the tools it replaces: CPU", secs(s.cpu),
            f"plain `mkdocs build` {secs(mk)} + again with Material's offline plugin {secs(off.cpu)} + raw "
            f"WeasyPrint of the same print HTML {secs(raw)} = {secs(base)}", f"{s.cpu / base:.2f}×")


# --- machine and table ----------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1048576:.0f} GB"
    except (OSError, StopIteration):
        pass
    from importlib.metadata import version

    def v(name: str) -> str:
        try:
            return version(name)
        except Exception:  # noqa: BLE001
            return "-"

    return {
        "cpu": cpu, "cores": str(os.cpu_count()), "memory": mem,
        "python": platform.python_version(), "os": platform.platform(terse=True),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "versions": ", ".join(f"{n} {v(n)}" for n in ("pydantic", "pyyaml", "mkdocs", "mkdocs-material",
                                                       "mkdocs-macros-plugin", "weasyprint", "check-jsonschema",
                                                       "mkdocs-to-pdf")),
    }


def table(rep: Report, info: dict[str, str], started: str, took: float, load_end: str, args: argparse.Namespace,
          stats: dict[str, dict]) -> str:
    lines = [
        f"Run {started}, {took / 60:.1f} min. Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}, "
        f"Python {info['python']}, {info['os']}. Load average at start {info['load']}, at end {load_end}.",
        f"Versions: {info['versions']}.",
        f"Command: `python benchmarks/run.py --sizes {args.sizes} --repeat {args.repeat} --only {args.only}"
        f" --pdf-sizes {args.pdf_sizes}"
        + (f" --pdf-binders-only {args.pdf_binders_only}" if args.pdf_binders_only else "")
        + (f" --serve-sizes {args.serve_sizes}" if "serve" in args.only else "")
        + (f" --full-build {args.full_build}" if args.full_build else "")
        + (f" --today {args.today}" if args.today else "")
        + f" --pdf-repeat {args.pdf_repeat}`. CPU times are medians and wall times the best"
        f" of {args.repeat} runs ({args.pdf_repeat} for PDFs). Verdicts use CPU time (see README).",
        "",
        "| size | org | files |",
        "|---|---|---|",
    ]
    for size, s in stats.items():
        lines.append(f"| {size} | {s['people']} people, {s['departments']} departments, {s['partners']} partners, "
                     f"{s['drills']} drills, {s['postmortems']} postmortems; call tree depth {s['call_tree_depth']}, "
                     f"fan-out ≤ {s['call_tree_max_fanout']} | {s['bytes'] / 1e6:.1f} MB of YAML, people.yaml "
                     f"{s['people_yaml_lines']:,} lines |")
    lines += ["", "| size | measurement | handbook | baseline | ratio | target | |", "|---|---|---|---|---|---|---|"]
    for r in rep.rows:
        lines.append(f"| {r.size} | {r.what} | {r.ours} | {r.base} | {r.ratio} | {r.target} | {r.verdict} |")
    if rep.notes:
        lines += [""] + [f"- {n}" for n in rep.notes]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="small,medium,large")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--only", default="validate,site,pdf,serve")
    p.add_argument("--pdf-sizes", default="small,medium",
                   help="sizes whose PDFs are measured (the large org's 60 binders take long on 2 cores)")
    p.add_argument("--pdf-binders-only", default="", metavar="SIZES",
                   help="sizes whose binder step is measured once, with memory, without the baselines (e.g. large)")
    p.add_argument("--pdf-repeat", type=int, default=1, help="repeats of each PDF measurement (they take minutes)")
    p.add_argument("--pdf-target-size", default="",
                   help="size the PDF targets are checked on (default: the largest of --pdf-sizes)")
    p.add_argument("--full-build", default="", metavar="SIZES",
                   help="sizes on which a whole `handbook build` (with PDFs and the offline zip) is run once")
    p.add_argument("--serve-sizes", default="sample,medium", metavar="SIZES",
                   help="organizations whose `handbook serve` reload is measured (with --only serve); sample is data/")
    p.add_argument("--out", default=str(HERE / "out"))
    p.add_argument("--today", help="date the data is generated and checked against (default: today)")
    p.add_argument("--seed", type=int, default=20260727)
    args = p.parse_args(argv)

    sizes = [s for s in args.sizes.split(",") if s]
    only = set(args.only.split(","))
    pdf_sizes = [s for s in args.pdf_sizes.split(",") if s in sizes]
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    # Every command the runner starts keeps validate's cache here, not in the user's own.
    os.environ.setdefault("HANDBOOK_CACHE_DIR", str(out / "cache"))
    today = args.today or dt.date.today().isoformat()
    info = machine()
    started = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    t0 = time.perf_counter()
    rep = Report()
    order = ["small", "medium", "large"]
    rep.raw["memory_on_large"] = "large" in sizes and "large" in (args.pdf_sizes + "," + args.pdf_binders_only).split(",")
    rep.raw["pdf_target_size"] = args.pdf_target_size or (max(pdf_sizes, key=order.index) if pdf_sizes else "")
    stats = {}
    print(f"machine: {info}", file=sys.stderr)
    for size in sizes:
        data = out / f"data-{size}"
        stats[size] = generate.generate(size, data, args.seed, dt.date.fromisoformat(today))
        print(f"{size}: {stats[size]}", file=sys.stderr, flush=True)
        if "validate" in only:
            bench_validate(size, data, today, args.repeat, out, rep)
        if "site" in only:
            bench_site(size, data, today, args.repeat, out, rep)
        if "pdf" in only and size in pdf_sizes:
            bench_pdf(size, data, today, args.pdf_repeat, out, rep)
        elif "pdf" in only and size in args.pdf_binders_only.split(","):
            bench_pdf_binders_only(size, data, today, out, rep)
        if size in args.full_build.split(","):
            bench_full_build(size, data, today, out, rep)
    if "serve" in only:
        for size in [s for s in args.serve_sizes.split(",") if s]:
            data = ROOT / "data" if size == "sample" else out / f"data-{size}"
            if size != "sample" and size not in stats:
                stats[size] = generate.generate(size, data, args.seed, dt.date.fromisoformat(today))
            bench_serve(size, data, today, args.repeat, out, rep)
    if "pdf" in only and "large" in sizes and "large" not in pdf_sizes:
        rep.notes.append("The PDF baselines were not run on the large organization (see --pdf-sizes and README); "
                         f"the PDF speed targets were checked on {rep.raw['pdf_target_size'] or 'no size'}"
                         + (", the memory target on the large binder step." if "large" in args.pdf_binders_only
                            else "."))
    took = time.perf_counter() - t0
    text = table(rep, info, started, took, " ".join(f"{x:.1f}" for x in os.getloadavg()), args, stats)
    (out / "results.md").write_text(text + "\n", encoding="utf-8")
    (out / "results.json").write_text(json.dumps({"machine": info, "stats": stats, "raw": rep.raw,
                                                  "rows": [vars(r) for r in rep.rows]}, indent=1, default=str))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
