"""The communications page's blocks: the two numbers, the channels and what they depend on, what
to use when a system is down, the call tree, and the pre-approved message templates.

The words are in macros/partials/communications/; this module gathers what they print. The
department pages (views/departments.py) and the home page use ``dial``, ``branch_list``,
``call_tree_rules``, ``templates_section`` and ``AUDIENCE`` from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html, join
from preparedness_handbook.macros.render.partials import environment, partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.render.svg import tree_svg
from preparedness_handbook.macros.site.blocks import block
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    date,
    dep_name,
    dur,
    kind_label,
    level_badge,
    person_line,
    person_name,
    phone_html,
    role_name,
    withheld,
)
from preparedness_handbook.validators.models.communications import AUDIENCES
from preparedness_handbook.validators.queries import (
    approval_expired,
    approval_expiring,
    best_phone,
    is_phone_kind,
    second_phone,
    survives,
    survives_critical,
)


def title_text(ctx: BuildContext, template: str, **values: object) -> str:
    """A partial's text as plain text, for a section title (the writer escapes titles itself)."""
    return partial(ctx, template, **values).unescape()


def audience_label(ctx: BuildContext, audience: str) -> str:
    """Who a template is for, as a heading or a list says it ('Employees')."""
    return title_text(ctx, "communications/audience.html", audience=audience,
                      declared=ctx.hb.term_name("audiences", audience))


class _DefaultAudience(Mapping[str, str]):
    """``AUDIENCE["media"]`` → 'Media': the default partial's words, for code without a context.
    With a context, ``audience_label(ctx, a)`` also reads the organization's own partial."""

    def __getitem__(self, audience: str) -> str:
        if audience not in AUDIENCES:
            raise KeyError(audience)
        template = environment(None).get_template("communications/audience.html")
        return Html(template.render(audience=audience).strip()).unescape()

    def __iter__(self) -> Iterator[str]:
        return iter(AUDIENCES)

    def __len__(self) -> int:
        return len(AUDIENCES)


AUDIENCE: Mapping[str, str] = _DefaultAudience()


def dial(ctx: BuildContext, cid: str) -> Html:
    """How to join a phone channel: number and PIN (or where they are kept)."""
    c = ctx.hb.channel(cid)
    return partial(ctx, "communications/dial.html", c=c, phone=phone_html(c.number), withheld=withheld(ctx),
                   phone_line=is_phone_line(ctx.hb, c), other=[phone_html(n) for n in c.other_numbers])


def is_phone_line(hb, c) -> bool:
    """The channel is dialled: a conference line, a voice line or a text number."""
    return is_phone_kind(hb, c) or bool(c.number)


# --- the two numbers and the channels -----------------------------------------------------------

@block("communications.numbers")
def numbers(ctx: BuildContext, link: Linker) -> Html:
    """The hotline and the bridge, at the top of the page."""
    hb = ctx.hb
    return partial(ctx, "communications/numbers.html", hotline=dial(ctx, hb.hotline_id), bridge=dial(ctx, hb.bridge_id))


@block("communications.channels")
def channels(ctx: BuildContext, link: Linker) -> Html:
    """Every channel: how to join it, what it stops working without, when it was tested."""
    rows = [
        SimpleNamespace(c=c, dial=dial(ctx, c.id), needs=[dep_name(ctx, d) for d in c.depends_on], last_tested=date(c.last_tested))
        for c in ctx.hb.channels
    ]
    return partial(ctx, "communications/channels.html", channels=rows)


def _by_preference(channels: list) -> list:
    return sorted(channels, key=lambda c: (c.use != "backup", len(c.depends_on)))


def always_section(ctx: BuildContext, link: Linker) -> Section | None:
    """The channels that need none of the critical systems, once, with how to join each."""
    always = _by_preference([c for c in ctx.hb.channels if survives_critical(ctx.hb, c)])
    if not always:
        return None
    body = partial(ctx, "communications/always.html",
                   channels=[SimpleNamespace(name=link.a("communications", c.name, f"channel-{c.id}"), dial=dial(ctx, c.id))
                             for c in always])
    return Section(title_text(ctx, "communications/titles.html", of="always"), body, "down-any")


def down_section(ctx: BuildContext, dep_id: str, link: Linker) -> Section:
    hb = ctx.hb
    dep = hb.dependency(dep_id)
    lost = [c.name for c in hb.channels if not survives(c, {dep_id})]
    # The channels that always work are listed once, above; here only what this loss leaves too.
    also = _by_preference([c for c in hb.channels if survives(c, {dep_id}) and not survives_critical(hb, c)])
    depts = [d for d in hb.departments if any(dep_id in m.when_down for m in d.degraded_mode)]
    body = partial(
        ctx, "communications/down.html", dep=dep, lost=lost,
        also=[link.a("communications", c.name, f"channel-{c.id}") for c in also],
        always=any(survives_critical(hb, c) for c in hb.channels),
        departments=[link.a(f"department:{d.id}", d.name, "when-systems-are-down") for d in depts],
    )
    return Section(title_text(ctx, "communications/titles.html", of="down", system=dep.name), body, f"down-{dep.id}")


@block("communications.when_down", level=3)
def when_down(ctx: BuildContext, link: Linker) -> list[Section]:
    """What always works, then one section per critical system: what stops, what else still works."""
    first = always_section(ctx, link)
    return [*([first] if first else []), *(down_section(ctx, d.id, link) for d in ctx.hb.critical_dependencies)]


# --- the call tree ------------------------------------------------------------------------------

def _tree_node(ctx: BuildContext, pid: str, within: str | None) -> SimpleNamespace:
    """One person of a call list and, unless they are outside ``within``, the people they call."""
    hb, tree = ctx.hb, ctx.tree
    p = hb.person(pid)
    best = best_phone(p)
    alt = tree.alternate.get(pid)
    kids = tree.children.get(pid, [])
    outside = within is not None and p.department != within
    second = second_phone(p)
    alt_best = best_phone(hb.person(alt)) if alt in hb.index["people"] else None
    return SimpleNamespace(
        name=p.name, title=p.title,
        kind=kind_label(ctx, best.kind) if best is not None else "",
        phone=phone_html(best.value) if best is not None else None,
        second_kind=kind_label(ctx, second.kind) if second is not None else "",
        second=phone_html(second.value) if second is not None else None,
        withheld=best is None and ctx.public,
        alternate=hb.person(alt).name if alt in hb.index["people"] else "",
        alternate_phone=phone_html(alt_best.value) if alt_best is not None else None,
        own_team=outside and bool(kids),
        kids=[] if outside else [_tree_node(ctx, k, within) for k in kids],
    )


def branch_list(ctx: BuildContext, pid: str, link: Linker | None = None, within: str | None = None) -> Html:
    """Nested lists: each person, their number, and the people they call.

    With ``within`` (a department id) the list stops at people of other departments: they are
    shown, since someone here calls them, but not the people they call in turn.
    """
    return partial(ctx, "communications/branch_list.html", root=_tree_node(ctx, pid, within), withheld=withheld(ctx))


def call_tree_rules(ctx: BuildContext) -> Html:
    """The script to read out, how to confirm, what to do when someone does not answer."""
    ct = ctx.hb.call_tree
    if ct is None:
        return partial(ctx, "communications/without_call_tree.html", without=ctx.hb.without_call_tree)
    return partial(ctx, "communications/call_tree_rules.html", ct=ct,
                   no_call=dur(ct.no_call_within) if ct.no_call_within else "")


@block("communications.call_tree")
def call_tree(ctx: BuildContext, link: Linker) -> Html:
    """Who starts the call tree, the rules of the call, and whom the first caller calls."""
    tree = ctx.tree
    root = tree.root
    if root is None:
        return partial(ctx, "communications/call_tree.html", root=None, absent=ctx.hb.call_tree is None,
                       rules=call_tree_rules(ctx))
    return partial(
        ctx, "communications/call_tree.html",
        root=person_name(ctx, root), root_name=ctx.hb.person(root).name,
        role=role_name(ctx, ctx.hb.call_tree.root, link), rules=call_tree_rules(ctx),
        branches=[SimpleNamespace(line=person_line(ctx, b, link), calls=len(tree.subtree(b)) - 1) for b in tree.branches],
    )


@block("communications.branches", level=3)
def branches(ctx: BuildContext, link: Linker) -> list[Section]:
    """One section per branch of the call tree: the diagram and the call list."""
    return [
        Section(
            title_text(ctx, "communications/titles.html", of="branch", person=ctx.hb.person(b).name),
            partial(ctx, "communications/branch.html", diagram=tree_svg(ctx, b, show_numbers=not ctx.public),
                    calls=branch_list(ctx, b, link)),
            f"branch-{b}",
        )
        for b in ctx.tree.branches
    ]


# --- message templates --------------------------------------------------------------------------

_BLANK = re.compile(r"(\{[^{}\n]{1,60}\})")


def template_parts(body: str) -> list[SimpleNamespace]:
    """A template's wording cut into text and the blanks to fill in (``{start_time}``)."""
    return [SimpleNamespace(text=part, blank=bool(_BLANK.fullmatch(part))) for part in _BLANK.split(body) if part]


def template_html(ctx: BuildContext, tid: str, link: Linker) -> Html:
    """One template: what it is for, its wording with the blanks marked, and who approved it
    until when (flagged when that has run out or soon will)."""
    t = ctx.hb.index["templates"][tid]
    return partial(
        ctx, "communications/template.html", t=t, expired=approval_expired(t, ctx.today),
        expiring=approval_expiring(t, ctx.today, ctx.hb.organization.review.template_warning),
        levels=[level_badge(ctx, lv) for lv in t.levels], approver=role_name(ctx, t.approver, link),
        approved=date(t.approved), expires=date(t.expires), parts=template_parts(t.body),
        subject=template_parts(t.subject), site=link.mode == "site",
    )


def template_groups(ctx: BuildContext, link: Linker, audiences: set[str] | None = None) -> list[Section]:
    """One section per audience (in the order of the data), with its templates."""
    groups: dict[str, list[str]] = {}
    for t in ctx.hb.templates:
        if audiences is None or t.audience in audiences:
            groups.setdefault(t.audience, []).append(t.id)
    return [
        Section(audience_label(ctx, a), join(template_html(ctx, tid, link) for tid in ids), f"templates-{a}")
        for a, ids in groups.items()
    ]


def templates_section(ctx: BuildContext, link: Linker, audiences: set[str] | None = None) -> Section | None:
    """The templates for ``audiences`` (all if None) under a heading of their own, or None."""
    children = template_groups(ctx, link, audiences)
    if not children:
        return None
    return Section(title_text(ctx, "communications/titles.html", of="templates"),
                   partial(ctx, "communications/templates_intro.html"), "templates", children)


@block("communications.templates", level=3)
def templates(ctx: BuildContext, link: Linker) -> list[Section]:
    """Every template, one section per audience."""
    return template_groups(ctx, link)
