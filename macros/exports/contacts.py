"""``contacts/<department-id>.vcf`` and ``contacts/all.vcf``: vCard 3.0, which every phone
imports (4.0 is still refused by some Android and Outlook versions)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.exports.calendar import site_host
from preparedness_handbook.macros.exports.text import (
    param_value,
    text_value,
)
from preparedness_handbook.validators.models.common import format_duration
from preparedness_handbook.validators.models.communications import Channel
from preparedness_handbook.validators.models.partners import Partner
from preparedness_handbook.validators.models.people import Person
from preparedness_handbook.validators.queries import (
    best_phone,
    department_partners,
    partner_first_call,
)

# The cards are written as text: escaping and folding are a few lines, and a vCard library
# (vobject, which the tests use to read them back) took most of the build's export time.

TEL_TYPES = {
    "mobile": ["CELL", "VOICE"],
    "sms": ["CELL", "MSG"],
    "landline": ["HOME", "VOICE"],
    "work-phone": ["WORK", "VOICE"],
}
EMAIL_TYPES = {"work-email": ["INTERNET", "WORK"], "personal-email": ["INTERNET", "HOME"]}


def _uid(ctx: BuildContext, kind: str, ident: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://{site_host(ctx)}/{kind}/{ident}"))


def fold_line(line: str, limit: int = 75) -> str:
    """One content line folded at ``limit`` octets (RFC 2425 5.8.1), never inside a character.

    Each piece is as long as fits; a continuation starts with one space, which counts.
    """
    raw = line.encode("utf-8")
    if len(raw) <= limit:
        return line
    pieces, start, width = [], 0, limit
    while len(raw) - start > width:
        end = start + width
        while raw[end] & 0xC0 == 0x80:  # a continuation octet: cut before its character
            end -= 1
        slashes = len(raw[start:end]) - len(raw[start:end].rstrip(b"\\"))
        if slashes % 2 and end - 1 > start:  # keep an escape such as \n on one line, as icalendar does
            end -= 1
        pieces.append(raw[start:end])
        start, width = end, limit - 1
    pieces.append(raw[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def fold(text: str, limit: int = 75) -> str:
    """Unfold CRLF-separated content lines and fold each again at ``limit`` octets."""
    return "\r\n".join(fold_line(line, limit) for line in text.replace("\r\n ", "").split("\r\n"))


# Properties in the order the cards have always had (vobject's): VERSION, UID, then by name.
_FIRST = {"VERSION": "0", "UID": "1"}


class VCard:
    """One vCard 3.0, written as text.

    ``add`` takes values unescaped. A list is a structured value (``sep=";"``: N, ORG) or a
    list of values (``sep=","``: CATEGORIES); each part is escaped on its own.
    """

    __slots__ = ("props",)

    def __init__(self, uid: str, fn: str, family: str, given: str = "") -> None:
        self.props: list[tuple[str, str]] = []
        self.add("VERSION", "3.0")
        self.add("UID", uid)
        self.add("FN", fn)
        self.add("N", [family, given, "", "", ""])  # family; given; additional; prefixes; suffixes

    def add(self, name: str, value: str | list[str], types: list[str] | None = None, sep: str = ";") -> None:
        text = text_value(value) if isinstance(value, str) else sep.join(map(text_value, value))
        params = ";TYPE=" + ",".join(map(param_value, types)) if types else ""
        self.props.append((_FIRST.get(name, name), f"{name}{params}:{text}"))

    def text(self) -> str:
        """The card with CRLF line ends, folded; the sort is stable, so TELs keep their order."""
        lines = [line for _, line in sorted(self.props, key=lambda prop: prop[0])]
        return "".join(fold_line(line) + "\r\n" for line in ["BEGIN:VCARD", *lines, "END:VCARD"])


def _card(ctx: BuildContext, kind: str, ident: str, fn: str, family: str, given: str = "") -> VCard:
    return VCard(_uid(ctx, kind, ident), fn, family, given)


def _split_name(name: str) -> tuple[str, str]:
    """(family, given) for N:, which phones sort by; the full name stays in FN."""
    parts = name.split()
    return (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else (name, "")


def person_note(ctx: BuildContext, p: Person) -> str:
    hb, tree = ctx.hb, ctx.tree

    def names(ids: Iterable[str]) -> str:
        return ", ".join(hb.person(i).name for i in ids if i in hb.index["people"])

    lines = []
    roles = [r.name for r in hb.roles if p.id in r.people]
    backs = [r.name for r in hb.roles if p.id in r.backups]
    if roles:
        lines.append("Incident role: " + ", ".join(roles))
    if backs:
        lines.append("Backup for: " + ", ".join(backs))
    caller = tree.caller.get(p.id)
    if caller:
        lines.append(f"Call tree: called by {names([caller])}")
    elif p.id == tree.root:
        lines.append("Call tree: starts the call tree")
    if tree.children.get(p.id):
        lines.append(f"Calls: {names(tree.children[p.id])}")
    alternate = tree.alternate.get(p.id)
    if alternate:
        lines.append(f"If their caller is out: {names([alternate])} calls")
    for c in p.contacts:
        if c.kind in ("secure-messenger", "radio"):
            lines.append(f"{'Messenger' if c.kind == 'secure-messenger' else 'Radio'}: {c.value}" + (f" ({c.label})" if c.label else ""))
    lines.append(f"Contacts checked: {p.last_verified.isoformat()}")
    return "\n".join(lines)


def person_vcard(ctx: BuildContext, p: Person) -> str:
    hb = ctx.hb
    family, given = _split_name(p.name)
    card = _card(ctx, "people", p.id, p.name, family, given)
    dept = hb.index["departments"].get(p.department)
    card.add("ORG", [hb.organization.name] + ([dept.name] if dept else []))
    card.add("TITLE", p.title)
    best = best_phone(p)
    seen: set[str] = set()
    # The number that needs the fewest systems first, marked preferred: that is what to dial.
    phones = sorted((c for c in p.contacts if c.kind in TEL_TYPES), key=lambda c: c is not best)
    for c in phones:
        if c.value in seen:
            continue
        seen.add(c.value)
        card.add("TEL", c.value, TEL_TYPES[c.kind] + (["PREF"] if c is best else []))
    for c in p.contacts:
        if c.kind in EMAIL_TYPES:
            card.add("EMAIL", c.value, EMAIL_TYPES[c.kind])
    card.add("CATEGORIES", ["Incident call tree"] + ([dept.name] if dept else []), sep=",")
    card.add("NOTE", person_note(ctx, p))
    return card.text()


def channel_vcard(ctx: BuildContext, c: Channel) -> str:
    card = _card(ctx, "channels", c.id, c.name, c.name)
    card.add("ORG", [ctx.hb.organization.name])
    card.add("X-ABSHOWAS", "COMPANY")
    card.add("TEL", c.number or "", ["WORK", "MSG" if c.kind == "sms" else "VOICE"])
    note = [x for x in (f"PIN: {c.pin}" if c.pin else "", c.instructions, c.address) if x]
    if note:
        card.add("NOTE", "\n".join(note))
    card.add("CATEGORIES", ["Incident lines"], sep=",")
    return card.text()


def partner_vcard(ctx: BuildContext, p: Partner) -> str | None:
    hb = ctx.hb
    contact = partner_first_call(p)
    if contact is None:
        return None
    card = _card(ctx, "partners", p.id, f"{p.name} — {contact.label}", p.name)
    card.add("ORG", [p.name])
    card.add("X-ABSHOWAS", "COMPANY")
    card.add("TEL", contact.phone or "", ["WORK", "VOICE", "PREF"])
    if contact.email:
        card.add("EMAIL", contact.email, ["INTERNET", "WORK"])
    note = [f"{contact.label}" + (f" ({'24x7' if contact.hours == '24x7' else 'business hours'})" if contact.hours else "")]
    levels = [hb.level(lv).name for lv in p.engage_when.levels if lv in hb.index["levels"]]
    if levels:
        note.append("Call at: " + ", ".join(levels))
    note += [f"Call when: {s}" for s in p.engage_when.scenarios]
    role = hb.index["roles"].get(p.engaged_by)
    if role:
        note.append(f"Who calls: {role.name}")
    if p.notification_deadline:
        note.append(f"Tell them within {format_duration(p.notification_deadline)} of finding the incident")
    if p.contract.number:
        note.append(f"Contract or policy number: {p.contract.number}")
    card.add("NOTE", "\n".join(note))
    card.add("CATEGORIES", ["Incident partners", p.category], sep=",")
    return card.text()


def call_order(ctx: BuildContext) -> list[str]:
    """Everyone, in the order the call tree reaches them (then anyone it does not reach)."""
    tree = ctx.tree
    order = tree.subtree(tree.root) if tree.root else []
    seen = set(order)
    return order + [p.id for p in ctx.hb.people if p.id not in seen]


def department_people(ctx: BuildContext, did: str, people: People | None = None) -> list[str]:
    """Whom a department's people may need to call: their branch of the call tree, in call order.

    Each member's callers up to the root, the people they call, the people they call when
    someone else's caller is out, their own alternate caller, and the incident manager with
    the backups.
    """
    hb, tree = ctx.hb, ctx.tree
    people = people or People(ctx)
    members = people.members.get(did, [])
    wanted: set[str] = set(members)
    for m in members:
        wanted.update(tree.path_to(m))
        wanted.update(tree.children.get(m, []))
        if tree.alternate.get(m):
            wanted.add(tree.alternate[m])
        wanted.update(people.stands_in_for.get(m, []))
    im = hb.incident_manager
    if im:
        wanted.update([*im.people, *im.backups])
    rank = people.rank
    return sorted((pid for pid in wanted if pid in rank and pid in hb.index["people"]), key=rank.__getitem__)


def _lines(ctx: BuildContext, ids: Iterable[str]) -> list[Channel]:
    return [ctx.hb.channel(c) for c in dict.fromkeys(ids) if c in ctx.hb.index["channels"] and ctx.hb.channel(c).number]


class People:
    """What the contact files share, worked out once.

    Each person's vCard text (a person appears in several department files), the call order
    and, for each department's branch, the members and whom each person stands in for.
    """

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx, self.texts, self.order = ctx, {}, call_order(ctx)
        self.rank = {pid: i for i, pid in enumerate(self.order)}
        self.members: dict[str, list[str]] = {}
        for p in ctx.hb.people:
            self.members.setdefault(p.department, []).append(p.id)
        self.stands_in_for: dict[str, list[str]] = {}
        for pid, alternate in ctx.tree.alternate.items():
            if alternate:
                self.stands_in_for.setdefault(alternate, []).append(pid)

    def text(self, pid: str) -> str:
        if pid not in self.texts:
            self.texts[pid] = person_vcard(self.ctx, self.ctx.hb.person(pid))
        return self.texts[pid]


def _join(*cards: str | None) -> str:
    return "".join(card for card in cards if card)


def department_vcf(ctx: BuildContext, did: str, people: People | None = None) -> str:
    hb = ctx.hb
    people = people or People(ctx)
    return _join(
        *(channel_vcard(ctx, c) for c in _lines(ctx, [hb.hotline_id, hb.bridge_id])),
        *(people.text(pid) for pid in department_people(ctx, did, people)),
        *(partner_vcard(ctx, hb.partner(pid)) for pid in department_partners(hb, did)),
    )


def all_vcf(ctx: BuildContext, people: People | None = None) -> str:
    hb = ctx.hb
    people = people or People(ctx)
    lines = _lines(ctx, [hb.hotline_id, hb.bridge_id, *(c.id for c in hb.channels)])
    return _join(
        *(channel_vcard(ctx, c) for c in lines),
        *(people.text(pid) for pid in people.order),
        *(partner_vcard(ctx, p) for p in hb.partners),
    )
