"""The wallet card: credit-card size (85.6 × 54 mm), two sides, for when nothing else works.

Front: the incident hotline, the bridge line and PIN, and the backup channels. Back: the incident
manager and backups with their numbers, and one line per severity level. Built from the same data
and helpers as the site's communications and roles pages; the words are in
macros/partials/printing/wallet.html.
"""

from __future__ import annotations

from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.printing.document import phrase, printed_page
from preparedness_handbook.macros.render.html import EMPTY, Html
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.views.common import date, dur, level_badge, phone_html, withheld
from preparedness_handbook.validators.models.communications import Channel
from preparedness_handbook.validators.queries import best_phone, survives_critical


def number_html(ctx: BuildContext, number: str | None, channel: Channel | None = None) -> Html:
    """A number to dial, or where to find it in the public edition; for a channel without a
    number, its extension or its address (a chat command, a web form)."""
    return partial(ctx, "printing/number.html", phone=phone_html(number) if number else EMPTY, withheld=withheld(ctx),
                   extension=channel.extension if channel else "",
                   address=channel.address if channel and not number else "")


def backup_channels(ctx: BuildContext) -> list[SimpleNamespace]:
    """Channels to try when the hotline or bridge fail: backups, and lines that need no system
    (each name, and how to reach it: a number to dial, an address or instructions, or "")."""
    hb = ctx.hb
    out = []
    for c in hb.channels:
        if c.id in (hb.hotline_id, hb.bridge_id):
            continue
        if c.use == "backup" or (survives_critical(hb, c) and c.number):
            how = phone_html(c.number) if c.number else (c.address or c.instructions or "")
            out.append(SimpleNamespace(name=c.name, how=how))
    return out


def bridge_line(ctx: BuildContext) -> Html:
    """The bridge number and PIN, nothing else (fits on a card)."""
    bridge = ctx.hb.bridge
    return partial(ctx, "printing/bridge_line.html", number=number_html(ctx, bridge.number, bridge), pin=bridge.pin or "",
                   withheld=withheld(ctx))


def person_dial(ctx: BuildContext, pid: str) -> SimpleNamespace:
    """A person's name and the number to dial them on."""
    p = ctx.hb.person(pid)
    best = best_phone(p)
    return SimpleNamespace(name=p.name, number=number_html(ctx, best.value if best else None))


def wallet_html(ctx: BuildContext) -> Html:
    """The card's two sides (printing/wallet.html) in a printed page of their own."""
    return printed_page(ctx, phrase(ctx, "wallet"), card_html(ctx), "hb-wallet")


def wallet_sheet_html(ctx: BuildContext) -> Html:
    """The card to print on an office printer and cut out: its front at each place of the grid
    on one sheet, its back at the same places on the next (printing/wallet-sheet.html)."""
    from preparedness_handbook.macros.printing.document import CARD_MM, SHEET_GRID

    card = str(card_html(ctx))
    cut = card.find('<section class="hb-card hb-card--back"')  # our own markup: data is escaped in it
    front, back = (card, "") if cut < 0 else (card[:cut], card[cut:])
    cols, rows = SHEET_GRID
    sheet = partial(ctx, "printing/wallet-sheet.html", front=Html(front), back=Html(back), rows=rows, cols=cols,
                    width=CARD_MM[0], height=CARD_MM[1])
    return printed_page(ctx, phrase(ctx, "wallet_sheet"), sheet, "hb-wallet")


BRIEF_LEVELS = 6
"""More levels than this, and the card names each level on one line without its summary."""
BRIEF_CHARS = 480
"""Level summaries longer than this in all, and the card does the same."""
CARD_BRIEF = "wallet-card-brief"
"""Set in ``ctx.cache`` when a full card printed on more than two sides: the card is made again
without the level summaries (handbook/build.py)."""


def card_html(ctx: BuildContext) -> Html:
    """The card's two sides, front then back."""
    hb = ctx.hb
    im = hb.incident_manager
    leaders = [person_dial(ctx, p) for p in [*im.people, *im.backups] if p in hb.index["people"]] if im else []
    levels = [SimpleNamespace(badge=level_badge(ctx, lv.id),
                              acknowledge=dur(lv.response.acknowledge_within) if lv.response.acknowledge_within else "",
                              coverage=lv.response.coverage or "", summary=lv.summary) for lv in hb.levels]
    # Many levels, or long summaries, do not fit on the back: then each level is one line, its
    # name and answer time, and the binder's severity section holds what each means.
    brief = (len(levels) > BRIEF_LEVELS or sum(len(lv.summary) for lv in levels) > BRIEF_CHARS
             or bool(ctx.cache.get(CARD_BRIEF)))
    card = partial(
        ctx, "printing/wallet.html", hotline=number_html(ctx, hb.hotline.number, hb.hotline), bridge=hb.bridge,
        bridge_line=bridge_line(ctx), backups=backup_channels(ctx), until=date(ctx.review_by),
        im=im, leaders=leaders, levels=levels, brief=brief,
        reach=number_html(ctx, hb.channel(im.reach).number, hb.channel(im.reach)) if im and im.reach else "",
    )
    return card
