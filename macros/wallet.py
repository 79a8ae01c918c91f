"""The wallet card: credit-card size (85.6 × 54 mm), two sides, for when nothing else works.

Front: the incident hotline, the bridge line and PIN, and the backup channels. Back: the incident
manager and backups with their numbers, and one line per severity level. Built from the same data
and helpers as the site's communications and roles pages.
"""

from __future__ import annotations

from .context import BuildContext
from .html import e
from .views.common import WITHHELD, best_phone, date, dur, level_badge, phone_html
from .views.communications import survives


def number_html(ctx: BuildContext, number: str | None) -> str:
    """A number to dial, or where to find it in the public edition."""
    if number:
        return phone_html(number)
    return f'<span class="hb-muted">number {WITHHELD}</span>' if ctx.public else "—"


def backup_channels(ctx: BuildContext) -> list[str]:
    """Channels to try when the hotline or bridge fail: backups, and lines that need no system."""
    hb = ctx.hb
    out = []
    for c in hb.channels:
        if c.id in (hb.hotline_id, hb.bridge_id):
            continue
        if c.use == "backup" or (survives(ctx, c.id) and c.number):
            how = phone_html(c.number) if c.number else e(c.address or c.instructions or "")
            out.append(f"<strong>{e(c.name)}</strong>: {how}" if how else f"<strong>{e(c.name)}</strong>")
    return out


def bridge_line(ctx: BuildContext) -> str:
    """The bridge number and PIN, nothing else (fits on a card)."""
    bridge = ctx.hb.bridge
    pin = f" · PIN <strong>{e(bridge.pin)}</strong>" if bridge.pin else (f' · <span class="hb-muted">PIN {WITHHELD}</span>' if ctx.public else "")
    return number_html(ctx, bridge.number) + pin


def person_dial(ctx: BuildContext, pid: str) -> str:
    p = ctx.hb.person(pid)
    best = best_phone(p)
    return f"{e(p.name)} — {number_html(ctx, best.value if best else None)}"


def front(ctx: BuildContext) -> str:
    hb = ctx.hb
    hotline, bridge = hb.hotline, hb.bridge
    backups = "".join(f"<li>{x}</li>" for x in backup_channels(ctx))
    return (
        '<section class="hb-card hb-card--front">'
        f'<h1>Incident card <span class="hb-card-org">{e(hb.organization.name)}</span></h1>'
        '<p class="hb-label">Report an incident, day or night</p>'
        f'<p class="hb-hotline">{number_html(ctx, hotline.number)}</p>'
        f'<p class="hb-label">{e(bridge.name)}</p>'
        f'<p class="hb-bridge">{bridge_line(ctx)}</p>'
        '<p class="hb-label">If those fail, use</p>'
        f'<ul>{backups}</ul>'
        f'<p class="hb-card-foot">Say what you see, where, and since when. Valid until <strong>{e(date(ctx.review_by))}</strong>.</p>'
        "</section>"
    )


def back(ctx: BuildContext) -> str:
    hb = ctx.hb
    im = hb.incident_manager
    leaders = ""
    if im:
        people = [im.primary, *im.backups]
        leaders = "".join(f"<li>{person_dial(ctx, p)}</li>" for p in people if p in hb.index["people"])
    levels = "".join(
        f'<p class="hb-lv">{level_badge(ctx, lv.id)} <strong>{e(dur(lv.response.acknowledge_within))}'
        f'{" 24/7" if lv.response.coverage == "24x7" else ", office hours"}</strong> · {e(lv.summary)}</p>'
        for lv in hb.levels
    )
    return (
        '<section class="hb-card hb-card--back">'
        f'<h1>{e(im.name) if im else "Incident manager"} <span class="hb-card-org">call in this order</span></h1>'
        f"<ol>{leaders}</ol>"
        f"{levels}"
        f'<p class="hb-card-foot">When unsure, choose the higher level. Version {e(ctx.version)}.</p>'
        "</section>"
    )


def wallet_html(ctx: BuildContext) -> str:
    org = ctx.hb.organization
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Wallet card — {e(org.name)}</title>"
        f'<meta name="author" content="{e(org.name)}">'
        f'<meta name="dcterms.created" content="{e(ctx.built.isoformat())}">'
        f'</head><body class="hb-wallet">{front(ctx)}{back(ctx)}</body></html>'
    )
