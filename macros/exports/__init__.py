"""Files other tools read: the handbook as JSON, the drill calendar, contacts for phones.

- ``handbook.json``: the (profile's) data as JSON.
- ``drills.ics``: every planned drill run as an event, and the drill's cadence as a recurrence.
- ``contacts/<department-id>.vcf`` and ``contacts/all.vcf``: vCard 3.0, which every phone
  imports (4.0 is still refused by some Android and Outlook versions). Internal profile only:
  the public profile has no personal numbers to give, so it writes no contacts folder at all.

Every text value in both formats goes through ``text_value()``: line breaks (CR, LF, CRLF and the
Unicode ones) become the ``\\n`` escape, tabs spaces, any other control character U+FFFD, and
backslash, semicolon and comma are escaped (RFC 5545 3.3.11, RFC 6350 3.4, RFC 2426 4). No value
can end a content line, so no text can start a property, an event or a card. The validator
refuses these characters in the data already; this holds the files to the format on its own.
"""


from __future__ import annotations

from pathlib import Path

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.exports.calendar import drills_ics
from preparedness_handbook.macros.exports.contacts import People, all_vcf, department_vcf
from preparedness_handbook.macros.exports.data import handbook_json


def write_exports(ctx: BuildContext, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "handbook.json").write_text(handbook_json(ctx), encoding="utf-8")
    # iCalendar and vCard lines end in CRLF; write the bytes as they are.
    (out / "drills.ics").write_bytes(drills_ics(ctx).encode("utf-8"))
    if ctx.public:
        return
    contacts = out / "contacts"
    contacts.mkdir(exist_ok=True)
    people = People(ctx)
    for d in ctx.hb.departments:
        (contacts / f"{d.id}.vcf").write_bytes(department_vcf(ctx, d.id, people).encode("utf-8"))
    (contacts / "all.vcf").write_bytes(all_vcf(ctx, people).encode("utf-8"))
