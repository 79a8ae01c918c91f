"""The Handbook a build renders, loaded once, and its public-profile redaction.

The public profile is made by redacting the data itself, before any view sees it: a view cannot
leak a value it was never given. Private personal contacts are removed, PINs and contract or
policy numbers blanked, partner contact values and non-public channel numbers dropped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validators.calltree import CallTree, build_call_tree
from validators.engine import validate
from validators.handbook import Handbook

PROFILES = ("internal", "public")


@dataclass
class BuildContext:
    """Everything a view needs: the (possibly redacted) data, the profile and the build facts."""

    hb: Handbook
    profile: str
    tree: CallTree
    built: dt.datetime
    version: str
    pdf: bool = True
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)  # work done once per build (the print plan)

    @property
    def public(self) -> bool:
        return self.profile == "public"

    @property
    def today(self) -> dt.date:
        return self.hb.today

    @property
    def review_by(self) -> dt.date:
        return self.today + self.hb.organization.review.binder_valid_for


def redact(hb: Handbook) -> Handbook:
    """A copy of the Handbook safe for the open internet."""
    people = [
        p.model_copy(update={"contacts": []})
        for p in hb.people
    ]
    channels = [
        c.model_copy(update={"pin": None, "number": c.number if c.public else None})
        for c in hb.channels
    ]
    partners = [
        p.model_copy(update={
            "contract": p.contract.model_copy(update={"number": ""}),
            "contacts": [c.model_copy(update={"phone": None, "email": None}) for c in p.contacts],
        })
        for p in hb.partners
    ]
    public = dataclasses.replace(hb, people=people, channels=channels, partners=partners)
    public.forget_positions()  # positions are keyed by the original objects, not these copies
    return public


def git_version(root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "describe", "--always", "--dirty", "--abbrev=10"],
            capture_output=True, text=True, timeout=5, check=False,
        )
        return out.stdout.strip() or "unversioned"
    except (OSError, subprocess.SubprocessError):
        return "unversioned"


def make_context(hb: Handbook, profile: str = "internal", built: dt.datetime | None = None, version: str | None = None) -> BuildContext:
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}")
    data = redact(hb) if profile == "public" else hb
    return BuildContext(
        hb=data,
        profile=profile,
        tree=build_call_tree(data),
        built=built or dt.datetime.now().astimezone().replace(microsecond=0),
        version=version or git_version(Path(hb.data_dir)),
    )


_CACHE: dict[tuple, BuildContext] = {}


def preset(ctx: BuildContext, data_dir: Path) -> None:
    """Hand an already-validated context to the mkdocs-macros module (the build command does)."""
    _CACHE.clear()
    _CACHE[(str(Path(data_dir).resolve()), ctx.profile)] = ctx


def context_for(data_dir: Path, profile: str, today: dt.date | None = None) -> BuildContext:
    """The context for a plain `mkdocs build`/`serve`: validate once per data change."""
    key = (str(Path(data_dir).resolve()), profile)
    stamp = max((p.stat().st_mtime for p in Path(data_dir).rglob("*.y*ml")), default=0)
    cached = _CACHE.get(key)
    if cached is not None and getattr(cached, "_stamp", stamp) == stamp:
        return cached
    result = validate(Path(data_dir), today)
    if result.handbook is None or result.errors:
        lines = "\n".join(f.text for f in result.errors[:20])
        raise RuntimeError(f"the data has errors; run `handbook validate`:\n{lines}")
    ctx = make_context(result.handbook, profile)
    ctx._stamp = stamp  # type: ignore[attr-defined]
    _CACHE[key] = ctx
    return ctx
