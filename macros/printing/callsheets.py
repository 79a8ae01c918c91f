"""Call-tree sheets: one printed sheet per branch of the call tree.

A sheet lists who calls whom in that branch, with the number to dial and the alternate caller,
then the script, the confirm-back rule and what to do when someone does not answer. The first
sheet is the incident manager's: the branch heads they call. A branch too big for one readable
sheet is split where it forks: its head's sheet lists the first callers, each of whom has a sheet
of their own, so every sheet fits on one page at a size people can read under stress.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.printing.document import running_strings
from preparedness_handbook.macros.render.html import EMPTY, Html, e, h, join, md, tag
from preparedness_handbook.macros.views.common import WITHHELD, definition_list, phone_html
from preparedness_handbook.validators.queries import best_phone

MAX_ROWS = 16  # people per sheet: 16 rows (some wrap) and the script fit a US Letter page


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
    best = best_phone(ctx.hb.person(pid))
    return phone_html(best.value) if best is not None else e("—")


def _with_number(ctx: BuildContext, pid: str) -> Html:
    best = best_phone(ctx.hb.person(pid))
    name = h("<strong>{}</strong>", ctx.hb.person(pid).name)
    return h("{} ({})", name, phone_html(best.value)) if best is not None else name


def _name(ctx: BuildContext, pid: str) -> Html:
    p = ctx.hb.person(pid)
    return h('<strong>{}</strong> <span class="hb-job">· {}</span>', p.name, p.title)


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
    """One sheet; with ``volume_of`` (sheet index → volume), sheets in other volumes say which."""
    hb, tree = ctx.hb, ctx.tree
    sheet = sheets[index]
    head = hb.person(sheet.head)
    is_root = sheet.head == tree.root
    if is_root:
        title = f"Sheet {index + 1}: {head.name} starts the calls"
        caller = tag("p", h("<strong>{}</strong> ({}) starts when chat and e-mail are down, "
                            "and calls the people below. Each of them has their own sheet.", head.name, head.title),
                     "hb-sheet-caller")
    else:
        title = f"Sheet {index + 1}: {head.name}'s branch"
        up = tree.caller.get(sheet.head)
        alt = tree.alternate.get(sheet.head)
        text = h("<strong>{}</strong> is called by {}", head.name, _with_number(ctx, up)) if up else EMPTY
        if alt in hb.index["people"]:
            text += h("; if they cannot, by {}", _with_number(ctx, alt))
        caller = tag("p", h("{}. Then call everyone below, in this order.", text), "hb-sheet-caller")
    if ctx.public:
        caller += tag("p", h("Phone numbers of people are {} only.", WITHHELD), "hb-muted")
    rows = []
    for pid, depth in sheet.rows:
        by = tree.caller.get(pid)
        alt = tree.alternate.get(pid)
        note = EMPTY
        if pid in sheet.elsewhere:
            n = len(tree.subtree(pid)) - 1
            other = sheet.elsewhere[pid]
            where = ""
            if volume_of is not None and volume_of[other] != volume_of[index]:
                where = f" in volume {volume_of[other] + 1}"
            note = h('<br><span class="hb-see">They call {} people: see sheet {}{}.</span>', n, other + 1, where)
        rows.append(h(
            '<tr><td class="hb-d{}">{}{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            min(depth, 5), "↳ " if depth else "", _name(ctx, pid), note, _dial(ctx, pid),
            hb.person(by).name if by else "—",
            hb.person(alt).name if alt in hb.index["people"] else "—",
        ))
    table = h('<table class="hb-calls"><thead><tr><th scope="col">Who (under the person who calls them)</th>'
              '<th scope="col">Number</th><th scope="col">Called by</th><th scope="col">If that caller is out</th></tr></thead>'
              "<tbody>{}</tbody></table>", join(rows))
    ct = hb.call_tree
    then = definition_list([
        ("Confirm back", ct.confirm_back),
        ("If someone does not answer", ct.unreachable),
        ("Report to your caller within", ct.report_back_within),
    ], "hb-stack")
    rules = h(
        '<div class="hb-sheet-rules"><div class="hb-sheet-script"><h2>Read this on the call</h2>{}</div>'
        '<div class="hb-sheet-then">{}</div></div>',
        tag("blockquote", md(ct.script), "hb-script"), then,
    )
    return h('<section class="hb-sheet" id="sheet-{}"><h1>{}</h1>{}{}{}</section>', index + 1, title, caller, table, rules)


_NO_TREE = Html("<p>No call tree: the incident manager role has no primary.</p>")


def callsheets_html(ctx: BuildContext, max_rows: int = MAX_ROWS) -> tuple[Html, list[Sheet]]:
    """The call-tree document and the sheets it holds (tests check one page per sheet)."""
    sheets = plan_sheets(ctx, max_rows)
    org = ctx.hb.organization
    body = join(sheet_html(ctx, sheets, i) for i in range(len(sheets))) or _NO_TREE
    html = h(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Call-tree sheets — {org}</title>"
        '<meta name="author" content="{org}">'
        '<meta name="dcterms.created" content="{built}">'
        '</head><body class="hb-sheets">{running}{body}</body></html>',
        org=org.name, built=ctx.built.isoformat(), running=running_strings(ctx, "Call-tree sheets"), body=body,
    )
    return html, sheets
