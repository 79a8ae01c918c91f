"""Communications: channels and what they depend on, what to use when a system is down,
the call tree, and the pre-approved message templates."""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, e, h, join, md, table, tag, ul
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.render.svg import tree_svg
from preparedness_handbook.macros.site.blocks import page_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    KIND_LABEL,
    WITHHELD,
    date,
    definition_list,
    dep_name,
    joined,
    level_badge,
    person_line,
    person_name,
    phone_html,
    role_name,
)
from preparedness_handbook.validators.queries import approval_expired, best_phone, survives

AUDIENCE = {
    "employees": "Employees", "customers": "Customers", "media": "Media", "regulators": "Regulators",
    "partners": "Partners", "board": "Board", "investors": "Investors", "suppliers": "Suppliers",
}


def dial(ctx: BuildContext, cid: str) -> Html:
    """How to join a phone channel: number and PIN (or where they are kept)."""
    c = ctx.hb.channel(cid)
    parts = []
    if c.number:
        parts.append(phone_html(c.number))
    elif ctx.public:
        parts.append(h('<span class="hb-muted">number {}</span>', WITHHELD))
    if c.pin:
        parts.append(h("PIN <strong>{}</strong>", c.pin))
    elif ctx.public and c.kind == "phone-bridge":
        parts.append(h('<span class="hb-muted">PIN {}</span>', WITHHELD))
    if c.address:
        parts.append(e(c.address))
    return join(parts, " · ")


def channels_table(ctx: BuildContext) -> Html:
    rows = []
    for c in ctx.hb.channels:
        needs = joined(dep_name(ctx, d) for d in c.depends_on) if c.depends_on else Html("<strong>Nothing</strong> — works when all else is down")
        rows.append([
            tag("span", c.name, id=f"channel-{c.id}") + (h("<br><small>{}</small>", c.instructions) if c.instructions else EMPTY),
            "Primary" if c.use == "primary" else "Backup",
            dial(ctx, c.id) or "—",
            needs,
            date(c.last_tested),
        ])
    return table(["Channel", "Use", "How to join", "Stops working without", "Last tested"], rows, "hb-channels")


def down_section(ctx: BuildContext, dep_id: str, link: Linker) -> Section:
    hb = ctx.hb
    dep = hb.dependency(dep_id)
    lost = [c for c in hb.channels if not survives(c, {dep_id})]
    ok = [c for c in hb.channels if survives(c, {dep_id})]
    ok.sort(key=lambda c: (c.use != "backup", len(c.depends_on)))
    body = tag("p", dep.description) if dep.description else EMPTY
    if lost:
        body += tag("p", Html("<strong>These stop working:</strong> ") + joined(c.name for c in lost))
    body += tag("p", Html("<strong>Use instead:</strong>")) + ul(
        h("{}{}", c.name, h(" — {}", dial(ctx, c.id)) if dial(ctx, c.id) else EMPTY) for c in ok[:5]
    )
    depts = [d for d in hb.departments if any(dep_id in m.when_down for m in d.degraded_mode)]
    if depts:
        body += tag("p", h("What departments do instead: {}", joined(link.a(f"department:{d.id}", d.name, "when-systems-are-down") for d in depts)))
    return Section(f"If this is down: {dep.name}", body, f"down-{dep.id}")


def tree_item(ctx: BuildContext, pid: str) -> Html:
    """One person in a call list, as short sentences: name and title, number, alternate."""
    p = ctx.hb.person(pid)
    text = h("<strong>{}</strong> ({}).", p.name, p.title)
    best = best_phone(p)
    if best is not None:
        text += h(" {}: {}.", KIND_LABEL.get(best.kind, best.kind), phone_html(best.value))
    elif ctx.public:
        text += h(' <span class="hb-muted">Number {}.</span>', WITHHELD)
    alt = ctx.tree.alternate.get(pid)
    if alt in ctx.hb.index["people"]:
        text += h(' <span class="hb-muted">If their caller is out, {} calls.</span>', ctx.hb.person(alt).name)
    return text


def branch_list(ctx: BuildContext, pid: str, link: Linker | None = None, within: str | None = None) -> Html:
    """Nested lists: each person, their number, and the people they call.

    With ``within`` (a department id) the list stops at people of other departments: they are
    shown, since someone here calls them, but not the people they call in turn.
    """
    tree = ctx.tree

    def item(p: str) -> Html:
        kids = tree.children.get(p, [])
        outside = within is not None and ctx.hb.person(p).department != within
        if outside and kids:
            return h('<li>{} <span class="hb-muted">They call their own team.</span></li>', tree_item(ctx, p))
        inner = tag("ul", join(item(k) for k in kids)) if kids else EMPTY
        return h("<li>{}{}</li>", tree_item(ctx, p), inner)

    return tag("ul", item(pid), "hb-tree")


def call_tree_rules(ctx: BuildContext) -> Html:
    ct = ctx.hb.call_tree
    return join([
        tag("h4", "Read this on the call") + tag("blockquote", md(ct.script), "hb-script"),
        definition_list([
            ("Confirm back", e(ct.confirm_back)),
            ("If someone does not answer", e(ct.unreachable)),
            ("Report to your caller within", e(ct.report_back_within)),
        ]),
    ])


def call_tree_section(ctx: BuildContext, link: Linker) -> Section:
    tree = ctx.tree
    root = tree.root
    if root is None:
        return Section("Call tree", Html("<p>No call tree: the incident manager role has no primary.</p>"), "call-tree")
    ct = ctx.hb.call_tree
    intro = h(
        "<p>When chat and e-mail are down, the news travels by phone. {} "
        "({}) starts. Each person calls the people listed under them, "
        "then reports back. Call first; if nobody answers, send a text.</p>",
        person_name(ctx, root), role_name(ctx, ct.root, link),
    )
    overview = ul(
        h("{} — calls {} people", person_line(ctx, b, link), len(tree.subtree(b)) - 1)
        for b in tree.branches
    )
    children = [
        Section(
            f"Branch: {ctx.hb.person(b).name}",
            tag("div", tree_svg(ctx, b, show_numbers=not ctx.public), "hb-figure", aria_hidden="true") + branch_list(ctx, b, link),
            f"branch-{b}",
        )
        for b in tree.branches
    ]
    body = intro + call_tree_rules(ctx) + tag("h4", h("{} calls", ctx.hb.person(root).name)) + overview
    return Section("Call tree", body, "call-tree", children)


def template_html(ctx: BuildContext, tid: str, link: Linker) -> Html:
    t = ctx.hb.index["templates"][tid]
    expired = approval_expired(t, ctx.today)
    status = Html('<span class="hb-badge hb-badge--bad">approval expired</span>') if expired else EMPTY
    return join([
        tag("p", h("<strong>{}</strong> {}<br>For {}", t.name, status, joined(level_badge(ctx, lv) for lv in t.levels))
            + (h(" · sent by {}", t.channel) if t.channel else EMPTY)),
        tag("p", h("<strong>Subject:</strong> {}", t.subject)) if t.subject else EMPTY,
        tag("pre", t.body, "hb-template"),
        tag("p", h("Approved by {} on {}; valid until {}. "
                   "Fill in the words in braces; do not change the rest without the approver.",
                   role_name(ctx, t.approver, link), date(t.approved), date(t.expires)), "hb-muted"),
    ])


def templates_section(ctx: BuildContext, link: Linker, audiences: set[str] | None = None) -> Section | None:
    groups: dict[str, list[str]] = {}
    for t in ctx.hb.templates:
        if audiences is None or t.audience in audiences:
            groups.setdefault(t.audience, []).append(t.id)
    if not groups:
        return None
    children = [
        Section(AUDIENCE.get(a, a), join(template_html(ctx, tid, link) for tid in ids), f"templates-{a}")
        for a, ids in groups.items()
    ]
    return Section("Message templates", Html("<p>Pre-approved wording. Using it saves the approval step when time is short.</p>"), "templates", children)


@page_view("communications")
def communications_page(ctx: BuildContext, link: Linker) -> list[Section]:
    hb = ctx.hb
    intro = h(
        "<p><strong>To report an incident, call the hotline:</strong> {}. "
        "<strong>Incident bridge:</strong> {}.</p>"
        "<p>Assume chat, e-mail and laptops may all be down. Keep this page printed, and the numbers in your phone.</p>",
        dial(ctx, hb.hotline_id), dial(ctx, hb.bridge_id),
    )
    sections = [
        Section("Communications", intro),
        Section("Channels", channels_table(ctx), "channels"),
        Section("When systems are down", Html("<p>What still works when one system is lost, and what to use instead.</p>"), "when-down",
                [down_section(ctx, d.id, link) for d in hb.critical_dependencies]),
        call_tree_section(ctx, link),
    ]
    tpl = templates_section(ctx, link)
    if tpl:
        sections.append(tpl)
    return sections
