"""Call-tree sheets: one printed sheet per branch of the call tree.

A sheet lists who calls whom in that branch, with the number to dial and the alternate caller,
then the script, the confirm-back rule and what to do when someone does not answer. The first
sheet is the incident manager's: the branch heads they call. A branch too big for one readable
sheet is split where it forks: its head's sheet lists the first callers, each of whom has a sheet
of their own, so every sheet fits on one page at a size people can read under stress. The words
are in macros/partials/printing/sheet.html.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.printing.document import phrase, printed_page, running_strings
from preparedness_handbook.macros.render.html import EMPTY, Html, join
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.views.common import kind_label, phone_html, withheld
from preparedness_handbook.validators.queries import best_phone, second_phone

MAX_ROWS = 11  # people per sheet: 11 rows (each with its next number and the stand-in's number) and the script fit a US Letter page


@dataclass
class Sheet:
    head: str                                            # person id of the branch head
    rows: list[tuple[str, int]] = field(default_factory=list)   # (person, depth under head)
    elsewhere: dict[str, int] = field(default_factory=dict)     # person → index of their own sheet


def plan_sheets(ctx: BuildContext, max_rows: int = MAX_ROWS) -> list[Sheet]:
    """The sheets, in calling order: the root's first, then each branch (split when too big)."""
    tree = ctx.tree
    if tree.root is None:
        return []
    sheets: list[Sheet] = []

    def size(pid: str) -> int:
        return len(tree.subtree(pid))

    def add(head: str) -> None:
        sheet = Sheet(head)
        sheets.append(sheet)
        kids = tree.children.get(head, [])
        if size(head) <= max_rows:
            inline = set(kids)
        else:
            # Every direct call needs a row; keep the smallest teams whole while they fit.
            inline, rows = set(), 1 + len(kids)
            for kid in sorted(kids, key=size):
                if rows + size(kid) - 1 > max_rows:
                    break
                inline.add(kid)
                rows += size(kid) - 1

        def visit(pid: str, depth: int) -> None:
            sheet.rows.append((pid, depth))
            for kid in tree.children.get(pid, []):
                visit(kid, depth + 1)

        sheet.rows.append((head, 0))
        for kid in kids:
            if kid in inline:
                visit(kid, 1)
            else:
                sheet.rows.append((kid, 1))
        for kid in kids:
            if kid not in inline:
                sheet.elsewhere[kid] = len(sheets)
                add(kid)

    # The root's sheet lists only the branch heads; every branch gets its own sheet.
    root_sheet = Sheet(tree.root, [(tree.root, 0)])
    sheets.append(root_sheet)
    for head in tree.branches:
        root_sheet.rows.append((head, 1))
        root_sheet.elsewhere[head] = len(sheets)
        add(head)
    return sheets


def _dial(ctx: BuildContext, pid: str) -> Html:
    """The number to dial a person on, or EMPTY."""
    best = best_phone(ctx.hb.person(pid))
    return phone_html(best.value) if best is not None else EMPTY


def _then(ctx: BuildContext, pid: str) -> SimpleNamespace | None:
    """The number to try next when the first does not answer, with its kind, or None."""
    second = second_phone(ctx.hb.person(pid))
    return SimpleNamespace(kind=kind_label(ctx, second.kind), number=phone_html(second.value)) if second else None


def _with_number(ctx: BuildContext, pid: str) -> SimpleNamespace:
    return SimpleNamespace(name=ctx.hb.person(pid).name, number=_dial(ctx, pid))


def sheet_units(sheets: list[Sheet], cap: int) -> list[list[int]]:
    """Runs of sheets that belong together, none longer than ``cap``: whole branches where they fit.

    Sheets are in calling order, so a branch (its head's sheet and the sheets of everyone in it
    who has their own) is a run of consecutive sheets. A branch longer than ``cap`` gives its
    head's sheet as one unit and then its sub-branches, cut the same way.
    """
    if not sheets:
        return []
    size = [1] * len(sheets)
    for i in reversed(range(len(sheets))):
        size[i] = 1 + sum(size[j] for j in sheets[i].elsewhere.values())

    def units(i: int) -> list[list[int]]:
        if size[i] <= cap:
            return [list(range(i, i + size[i]))]
        out = [[i]]
        for j in sheets[i].elsewhere.values():
            out += units(j)
        return out

    return units(0)


def sheet_html(ctx: BuildContext, sheets: list[Sheet], index: int, volume_of: dict[int, int] | None = None) -> Html:
    """One sheet (printing/sheet.html); with ``volume_of`` (sheet index → volume), sheets in
    other volumes say which."""
    hb, tree = ctx.hb, ctx.tree
    people = hb.index["people"]
    sheet = sheets[index]
    head = hb.person(sheet.head)
    up, alt = tree.caller.get(sheet.head), tree.alternate.get(sheet.head)
    rows = []
    for pid, depth in sheet.rows:
        p = hb.person(pid)
        by, other = tree.caller.get(pid), tree.alternate.get(pid)
        own = None
        if pid in sheet.elsewhere:
            mine = sheet.elsewhere[pid]
            away = volume_of is not None and volume_of[mine] != volume_of[index]
            own = SimpleNamespace(people=len(tree.subtree(pid)) - 1, sheet=mine + 1,
                                  volume=volume_of[mine] + 1 if volume_of is not None and away else None)
        rows.append(SimpleNamespace(
            depth=depth, name=p.name, title=p.title, number=_dial(ctx, pid), then=_then(ctx, pid), own=own,
            by=hb.person(by).name if by else None, alternate=_with_number(ctx, other) if other in people else None,
        ))
    return partial(
        ctx, "printing/sheet.html", n=index + 1, head=head, root=sheet.head == tree.root,
        caller=_with_number(ctx, up) if up else None, alternate=_with_number(ctx, alt) if alt in people else None,
        rows=rows, ct=hb.call_tree, withheld=withheld(ctx),
    )


def callsheets_html(ctx: BuildContext, max_rows: int = MAX_ROWS) -> tuple[Html, list[Sheet]]:
    """The call-tree document and the sheets it holds (tests check one page per sheet)."""
    sheets = plan_sheets(ctx, max_rows)
    body = join(sheet_html(ctx, sheets, i) for i in range(len(sheets))) or partial(
        ctx, "printing/no_tree.html", absent=ctx.hb.call_tree is None, without=ctx.hb.without_call_tree)
    title = phrase(ctx, "sheets", cap=True)
    return printed_page(ctx, title, running_strings(ctx, title) + body, "hb-sheets"), sheets
