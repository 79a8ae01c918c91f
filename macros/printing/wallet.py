"""The wallet card: credit-card size (85.6 × 54 mm), two sides, for when nothing else works.

Front: the incident hotline, the bridge line and PIN, and the backup channels. Back: the incident
manager and backups with their numbers, and one line per severity level. Built from the same data
and helpers as the site's communications and roles pages.
"""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, e, h, join, tag
from preparedness_handbook.macros.views.common import WITHHELD, date, dur, level_badge, phone_html
from preparedness_handbook.validators.queries import best_phone, survives_critical


def number_html(ctx: BuildContext, number: str | None) -> Html:
    """A number to dial, or where to find it in the public edition."""
    if number:
        return phone_html(number)
    return h('<span class="hb-muted">number {}</span>', WITHHELD) if ctx.public else e("—")


def backup_channels(ctx: BuildContext) -> list[Html]:
    """Channels to try when the hotline or bridge fail: backups, and lines that need no system."""
    hb = ctx.hb
    out = []
    for c in hb.channels:
        if c.id in (hb.hotline_id, hb.bridge_id):
            continue
        if c.use == "backup" or (survives_critical(hb, c) and c.number):
            how = phone_html(c.number) if c.number else e(c.address or c.instructions or "")
            out.append(h("<strong>{}</strong>: {}", c.name, how) if how else h("<strong>{}</strong>", c.name))
    return out


def bridge_line(ctx: BuildContext) -> Html:
    """The bridge number and PIN, nothing else (fits on a card)."""
    bridge = ctx.hb.bridge
    if bridge.pin:
        pin = h(" · PIN <strong>{}</strong>", bridge.pin)
    else:
        pin = h(' · <span class="hb-muted">PIN {}</span>', WITHHELD) if ctx.public else EMPTY
    return number_html(ctx, bridge.number) + pin


def person_dial(ctx: BuildContext, pid: str) -> Html:
    p = ctx.hb.person(pid)
    best = best_phone(p)
    return h("{} — {}", p.name, number_html(ctx, best.value if best else None))


def front(ctx: BuildContext) -> Html:
    hb = ctx.hb
    hotline, bridge = hb.hotline, hb.bridge
    backups = join(tag("li", x) for x in backup_channels(ctx))
    return h(
        '<section class="hb-card hb-card--front">'
        '<h1>Incident card <span class="hb-card-org">{org}</span></h1>'
        '<p class="hb-label">Report an incident, day or night</p>'
        '<p class="hb-hotline">{hotline}</p>'
        '<p class="hb-label">{bridge}</p>'
        '<p class="hb-bridge">{bridge_line}</p>'
        '<p class="hb-label">If those fail, use</p>'
        "<ul>{backups}</ul>"
        '<p class="hb-card-foot">Say what you see, where, and since when. Valid until <strong>{until}</strong>.</p>'
        "</section>",
        org=hb.organization.name, hotline=number_html(ctx, hotline.number), bridge=bridge.name,
        bridge_line=bridge_line(ctx), backups=backups, until=date(ctx.review_by),
    )


def back(ctx: BuildContext) -> Html:
    hb = ctx.hb
    im = hb.incident_manager
    leaders = EMPTY
    if im:
        people = [im.primary, *im.backups]
        leaders = join(tag("li", person_dial(ctx, p)) for p in people if p in hb.index["people"])
    levels = join(
        h('<p class="hb-lv">{} <strong>{}{}</strong> · {}</p>', level_badge(ctx, lv.id), dur(lv.response.acknowledge_within),
          " 24/7" if lv.response.coverage == "24x7" else ", office hours", lv.summary)
        for lv in hb.levels
    )
    return h(
        '<section class="hb-card hb-card--back">'
        '<h1>{im} <span class="hb-card-org">call in this order</span></h1>'
        "<ol>{leaders}</ol>"
        "{levels}"
        '<p class="hb-card-foot">When unsure, choose the higher level. Version {version}.</p>'
        "</section>",
        im=im.name if im else "Incident manager", leaders=leaders, levels=levels, version=ctx.version,
    )


def wallet_html(ctx: BuildContext) -> Html:
    org = ctx.hb.organization
    return h(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Wallet card — {org}</title>"
        '<meta name="author" content="{org}">'
        '<meta name="dcterms.created" content="{built}">'
        '</head><body class="hb-wallet">{front}{back}</body></html>',
        org=org.name, built=ctx.built.isoformat(), front=front(ctx), back=back(ctx),
    )
