"""The `handbook` command. Only this module prints and exits."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import sys
import traceback
from pathlib import Path

from preparedness_handbook.validators.findings import FORMATTERS


class UsageError(Exception):
    """Bad arguments or unreadable paths: exit code 2."""


def _today(value: str | None) -> dt.date | None:
    value = value or os.environ.get("HANDBOOK_TODAY")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today must be a date such as 2026-11-27, not '{value}'") from None


def _data_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise UsageError(f"data folder '{value}' does not exist (use --data DIR)")
    return path


def _format(value: str | None) -> str:
    if value:
        return value
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _print_findings(result, fmt: str, stream=None) -> None:
    stream = stream or sys.stdout
    print(FORMATTERS[fmt](result.findings, result.files), file=stream)
    if fmt == "text" and not result.rules_ran and result.findings:
        print("Consistency rules were not run: fix the errors above first.", file=stream)


def cmd_validate(args: argparse.Namespace) -> int:
    from preparedness_handbook.validators.engine import validate

    result = validate(_data_dir(args.data), _today(args.today), cache=False if args.no_cache else None,
                      exiting=args.exiting)
    _print_findings(result, _format(args.format))
    return 0 if result.ok(args.strict) else 1


def cmd_schema(args: argparse.Namespace) -> int:
    from preparedness_handbook.validators.schema import write_schemas

    for path in write_schemas(Path(args.out)):
        print(path)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from . import build as build_module
    from .build import BuildError, SiteDirError, Terminated, build

    build_module.QUIET = args.quiet
    passphrase = None
    profile = args.profile or ("public" if args.protect else "internal")
    if args.passphrase_file and not args.protect:
        raise UsageError("--passphrase-file is the passphrase of --protect: give both")
    if args.protect:
        from .protect import PassphraseError, read_passphrase

        if profile != "public":
            raise UsageError("--protect publishes the internal edition encrypted beside a public site; "
                             "--profile internal would leave its numbers in plain text (leave --profile out)")
        try:
            passphrase = read_passphrase(args.passphrase_file)
        except PassphraseError as exc:
            raise UsageError(str(exc)) from None

    try:
        return build(
            data_dir=_data_dir(args.data),
            site_dir=Path(args.site_dir),
            profile=profile,
            pdf=not args.no_pdf,
            strict=args.strict,
            today=_today(args.today),
            paper=args.paper,
            fmt=_format(args.format),
            offline=not args.no_offline,
            protect=passphrase,
        )
    except BuildError as exc:
        print(f"handbook build: {exc}", file=sys.stderr)
        return 1
    except SiteDirError as exc:  # the site dir may not be replaced, or cannot be written
        print(f"handbook build: {exc}", file=sys.stderr)
        return 2
    except Terminated as exc:
        done = "the new site was already in place" if exc.swapped else "the previous site was not changed"
        print(f"handbook build: stopped by {exc}; {done}.", file=sys.stderr)
        return 128 + exc.signum


def cmd_serve(args: argparse.Namespace) -> int:
    from .build import serve

    return serve(_data_dir(args.data), args.profile, args.dev_addr, _today(args.today))


def cmd_report(args: argparse.Namespace) -> int:
    from preparedness_handbook.macros.views.readiness import render_report
    from preparedness_handbook.validators.engine import validate

    result = validate(_data_dir(args.data), _today(args.today))
    if result.handbook is None:
        _print_findings(result, "text", sys.stderr)
        return 1
    print(render_report(result.handbook, args.format))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import new_entry

    return new_entry(args.kind, _data_dir(args.data), args.id, _today(args.today))


def tool_version() -> str:
    """The installed tool's version (its distribution's metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("preparedness-handbook")
    except PackageNotFoundError:
        return "unknown (not installed)"


def cmd_init(args: argparse.Namespace) -> int:
    from .init import init

    return init(Path(args.dir))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="handbook",
        description="Check an incident-preparedness policy kept as YAML and build its handbook site and binders.",
    )
    p.add_argument("--version", action="version", version=f"handbook {tool_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--data", default="data", metavar="DIR", help="folder with the data files (default: data)")
        sp.add_argument("--today", metavar="YYYY-MM-DD", help="check dates as of this day (default: today, or $HANDBOOK_TODAY)")
        sp.add_argument("--no-cache", action="store_true",
                        help="check every file again, neither reading nor writing the cache (also: HANDBOOK_NO_CACHE=1)")

    i = sub.add_parser("init", help="start a new organization's handbook repository (never overwrites a file)")
    i.add_argument("dir", nargs="?", default=".", metavar="DIR", help="folder to start it in (default: here)")
    i.set_defaults(func=cmd_init)

    v = sub.add_parser("validate", help="check the data files and print every problem")
    common(v)
    v.add_argument("--format", choices=sorted(FORMATTERS), help="text (default), github (default under GitHub Actions) or json")
    v.add_argument("--strict", action="store_true", help="fail on warnings too")
    v.set_defaults(func=cmd_validate)

    b = sub.add_parser("build", help="validate, then build the site, the PDFs and the exports")
    common(b)
    b.add_argument("--profile", choices=["internal", "public"], default=None,
                   help="public hides every personal contact value, PIN and contract number (default: internal; public with --protect)")
    b.add_argument("--site-dir", default="site", metavar="DIR", help="output folder (default: site)")
    b.add_argument("--no-pdf", action="store_true", help="skip the printed binders")
    b.add_argument("--no-offline", action="store_true", help="skip the offline zip of the site")
    b.add_argument("--paper", choices=["a4", "letter"], default=None,
                   help="paper size of the binders (default: paper in organization.yaml, else what its country uses)")
    b.add_argument("--strict", action="store_true", help="fail on warnings too")
    b.add_argument("--format", choices=sorted(FORMATTERS), help="how findings are printed")
    b.add_argument("--quiet", "-q", action="store_true", help="print only problems, no progress")
    b.add_argument("--protect", action="store_true",
                   help="also write the internal edition, encrypted, into SITE/protected/ (the site is public); "
                        "the passphrase is $HANDBOOK_PASSPHRASE or --passphrase-file")
    b.add_argument("--passphrase-file", metavar="FILE", help="read the passphrase of --protect from the first line of FILE")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("serve", help="preview the site, rebuilding on edits to data/, docs/ and partials/")
    common(s)
    s.add_argument("--profile", choices=["internal", "public"], default="internal")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT")
    s.set_defaults(func=cmd_serve)

    sc = sub.add_parser("schema", help="write JSON Schemas of the data files for editors and CI")
    sc.add_argument("--out", default="schemas", metavar="DIR")
    sc.set_defaults(func=cmd_schema)

    r = sub.add_parser("report", help="readiness: what is overdue, expiring or never exercised")
    common(r)
    r.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    r.set_defaults(func=cmd_report)

    n = sub.add_parser("new", help="add a drill, partner, person or postmortem with every field to fill in")
    common(n)
    n.add_argument("kind", choices=["drill", "partner", "person", "postmortem"])
    n.add_argument("id", help="id of the new entry, e.g. jane-doe")
    n.set_defaults(func=cmd_new)
    return p


def main(argv: list[str] | None = None, exiting: bool = False) -> int:
    args = parser().parse_args(argv)
    args.exiting = exiting  # run() ends the process after validate: nothing to collect
    saved = os.environ.get("HANDBOOK_NO_CACHE")
    if getattr(args, "no_cache", False):
        os.environ["HANDBOOK_NO_CACHE"] = "1"  # for every validation of this command: build, serve, the plugin
    try:
        return _command(args)
    finally:
        if saved is None:
            os.environ.pop("HANDBOOK_NO_CACHE", None)
        else:
            os.environ["HANDBOOK_NO_CACHE"] = saved


def _command(args: argparse.Namespace) -> int:
    """Run the command; map what it raises to an exit code and one line."""
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"handbook {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away, e.g. `handbook validate | head -1`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the flush at exit does not fail again
        return 1
    except OSError as exc:
        if exc.errno not in _IO_REASONS:
            return _internal_error(args, exc)
        # The system refused: a read-only or full disk, or no permission. Not a bug.
        verb = "cannot write" if exc.errno in (errno.EROFS, errno.ENOSPC, errno.EDQUOT) else "cannot access"
        where = f" {exc.filename}" if exc.filename else ""
        print(f"handbook {args.command}: {verb}{where}: {_IO_REASONS[exc.errno]}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug, not bad data: say so briefly, keep the details on request
        return _internal_error(args, exc)


_IO_REASONS = {
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
}


def _internal_error(args: argparse.Namespace, exc: Exception) -> int:
    if os.environ.get("HANDBOOK_DEBUG"):
        traceback.print_exc()
    else:
        print(
            f"handbook {args.command}: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in the handbook tool, not in your data. Run again with HANDBOOK_DEBUG=1 "
            "for details and report it.",
            file=sys.stderr,
        )
    return 2


def run() -> None:
    """The `handbook` command. After `validate`, exit without tearing down the loaded data.

    Freeing a 5,000-person organization's objects one by one at interpreter exit took longer than
    checking its rules; the operating system takes the memory back at once. Output is flushed
    first, and `validate` starts no processes and has written its cache entries whole (or not at
    all) before it returns, so nothing else is owed; the garbage collector is not turned back on.
    """
    argv = sys.argv[1:]
    code = main(argv, exiting=argv[:1] == ["validate"])
    if argv[:1] == ["validate"]:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # a closed pipe, e.g. `handbook validate | head`
            pass
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    sys.exit(main())  # `python -m handbook.cli` exits normally, so profilers get to report
