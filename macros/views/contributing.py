"""The "Contributing to this handbook" page: how to edit, what every check means, how to preview.

The list of checks is generated from the same registries the validator runs (the data codes and
the consistency rules with their docstrings), so the page cannot drift from the checks.
"""

from __future__ import annotations

import re
import sys

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, e, h, join, md, table, tag, ul
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import page_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import badge
from preparedness_handbook.validators.codes import DATA_CODES
from preparedness_handbook.validators.models import FILES, POSTMORTEM_DIR, POSTMORTEM_MODEL
from preparedness_handbook.validators.rules import RULES, Rule

AREAS = {
    "people": "People and roles", "severity": "Severity levels and escalation", "communications": "Communications",
    "partners": "Partners", "drills": "Drills", "postmortems": "Postmortems", "departments": "Departments",
}
# The loader reports these data codes as warnings; every other data code is an error.
DATA_WARNINGS = {"HB009"}
_TICKS = re.compile(r"`([^`]+)`")
_EXAMPLE = re.compile(r"^(PASS|FAIL):\s*$", re.MULTILINE)


def rule_parts(rule: Rule) -> tuple[str, str, str]:
    """(why, PASS example, FAIL example) from a rule's docstring; examples are indented blocks."""
    body = rule.doc.split("\n", 1)[1] if "\n" in rule.doc else ""
    pieces = _EXAMPLE.split(body)
    why, examples = pieces[0].strip(), dict(zip(pieces[1::2], pieces[2::2]))

    def block(text: str) -> str:
        lines = [line for line in text.strip("\n").splitlines()]
        indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
        return "\n".join(x[indent:] for x in lines).strip()

    return why, block(examples.get("PASS", "")), block(examples.get("FAIL", ""))


def rule_html(rule: Rule) -> Html:
    why, good, bad = rule_parts(rule)
    level = badge(rule.level, "bad" if rule.level == "error" else "warn")
    examples = EMPTY
    if good or bad:
        examples = tag("details", tag("summary", "Examples") + join(
            tag("p", h("<strong>{}</strong>", label)) + tag("pre", tag("code", text))
            for label, text in (("Passes:", good), ("Fails:", bad)) if text
        ))
    # `code` in a summary: split() gives text and code by turns, each escaped.
    summary = join(h("<code>{}</code>", part) if i % 2 else e(part) for i, part in enumerate(_TICKS.split(rule.summary)))
    return tag("div", tag("p", h("<code>{}</code> {} <strong>{}</strong>", rule.code, level, summary)) + md(why) + examples,
               "hb-rule", id=rule.code.lower())


def _file_summary(model: type) -> str:
    doc = (sys.modules[model.__module__].__doc__ or "").strip()
    return doc.split(" — ", 1)[1].rstrip(".") if " — " in doc else doc


def how_to_edit(link: Linker) -> Html:
    steps = [Html(step) for step in [
        ("Open the handbook's repository on GitHub and go to the <code>data</code> folder. "
        "Pick the file from the table below: a phone number is in <code>people.yaml</code>, a drill date in "
        "<code>drills.yaml</code>."),
        ("Click the pencil (<em>Edit this file</em>). Change only the value after the colon. Keep the spaces at the "
        "start of each line exactly as they are, and keep the quotes around phone numbers."),
        ("Click <em>Commit changes…</em>, choose <em>Create a new branch for this commit and start a pull request</em>, "
        "and say in one line what you changed and why (\u201cMaria's new mobile number\u201d)."),
        ("Wait a minute for the check called <em>Handbook / Validate the data</em> to finish. A green tick means the handbook still "
        "holds together."),
        ("A red cross means something needs fixing. Open the <em>Files changed</em> tab: the problem is shown on the "
        "very line, with a code such as <code>HB104</code> and what to write instead. The codes are explained "
        "below. Edit the file again on your branch; the check runs again by itself."),
        ("Ask a colleague to review and merge. The site and the printed binders are rebuilt from the "
        "merged data within minutes."),
    ]]
    files = [(name, model) for name, (model, _) in FILES.items()] + [(f"{POSTMORTEM_DIR}/<id>.yaml", POSTMORTEM_MODEL)]
    rows = [[h("<code>data/{}</code>", name), _file_summary(model)] for name, model in files]
    return (
        tag("ol", join(tag("li", s) for s in steps))
        + tag("p", h("Each file starts with a short comment saying how to edit it. Every field is explained in the {}.",
                     link.a("reference", "data reference")))
        + table(["File", "What it holds"], rows, "hb-files")
    )


def checks_html() -> tuple[Html, list[Section]]:
    intro = (
        tag("p", Html("Every pull request runs <code>handbook validate</code>. It reports every problem at once, each "
                      "with the file, the line, a code and what to write instead."))
        + ul([
            h("{} The pull request cannot be merged until it is fixed: the handbook would be wrong "
              "or a call would fail.", badge("error", "bad")),
            h("{} Something will soon be out of date, such as a contract that ends in six weeks. "
              "It does not block the merge; fix it soon.", badge("warning", "warn")),
        ])
    )
    data_rows = [
        [tag("code", e(code), id=code.lower()),
         badge("warning", "warn") if code in DATA_WARNINGS else badge("error", "bad"), e(text)]
        for code, text in DATA_CODES.items()
    ]
    sections = [Section("Codes HB001–HB202: the file itself", tag(
        "p", "These come first. Until they are fixed the consistency checks below do not run.")
        + table(["Code", "Level", "What it means"], data_rows, "hb-codes"), "data-codes")]
    for area, title in AREAS.items():
        rules = [r for r in RULES if r.area == area]
        if rules:
            codes = f"{rules[0].code}–{rules[-1].code}" if len(rules) > 1 else rules[0].code
            sections.append(Section(f"{title} ({codes})", join(rule_html(r) for r in rules), f"rules-{area}"))
    rest = [r for r in RULES if r.area not in AREAS]
    if rest:
        sections.append(Section("Other checks", join(rule_html(r) for r in rest), "rules-other"))
    return intro, sections


def preview_html() -> Html:
    return (
        tag("p", "You need Python 3.11 or newer and a copy of the repository. In a terminal, in the repository folder:")
        + tag("pre", tag("code", e(
            "pip install -e .            # once: installs the handbook command\n"
            "handbook validate           # the same check the pull request runs\n"
            "handbook serve              # preview at http://127.0.0.1:8000, updates as you save\n"
            "handbook report             # what is overdue or expiring\n"
            "handbook build --no-pdf     # the whole site into site/ (drop --no-pdf for the binders)"
        )))
        + tag("p", Html("Editors with the YAML language server (for example VS Code with the Red Hat YAML extension) "
                        "complete field names and explain them as you type: the first line of every data file points "
                        "them at the schema in <code>schemas/</code>."))
        + tag("p", Html("To run the check before every commit, install pre-commit and add the "
                        "<code>handbook-validate</code> hook (see the README)."))
    )


def scaffold_html() -> Html:
    commands = [
        ("handbook new person jane-doe", "a person in people.yaml, with every field and a comment on each"),
        ("handbook new drill phones-only-tabletop", "a drill in drills.yaml, with one planned run"),
        ("handbook new partner acme-forensics", "a partner in partners.yaml"),
        ("handbook new postmortem 2026-12-payroll-delay", "a new file data/postmortems/2026-12-payroll-delay.yaml"),
    ]
    rows = [[tag("code", e(cmd)), e(what)] for cmd, what in commands]
    return (
        tag("p", Html("Rather than copying a block by hand, let the command write a complete entry with placeholders "
                      "that already pass the checks. It keeps the file's comments and order, refuses an id that exists, "
                      "and runs the check afterwards."))
        + table(["Command", "Adds"], rows, "hb-scaffold")
        + tag("p", "Then replace the placeholders: names, numbers, dates. Ids are lowercase words joined by hyphens.")
    )


@page_view("contributing")
def contributing_page(ctx: BuildContext, link: Linker) -> list[Section]:
    intro = tag(
        "p",
        h("Everything in this handbook, from {}'s phone call tree to the printed binders, "
          "comes from a few plain text files in the <code>data</code> folder. You do not need to be an engineer to "
          "change them: most changes are one line, such as a new phone number or a drill date.",
          ctx.hb.organization.name),
        "hb-lead",
    )
    checks_intro, check_sections = checks_html()
    return [
        Section("Contributing to this handbook", intro),
        Section("How to make a change", how_to_edit(link), "how-to-edit"),
        Section("What the checks mean", checks_intro, "checks", check_sections),
        Section("Add a person, drill, partner or postmortem", scaffold_html(), "scaffolding"),
        Section("Preview on your own computer", preview_html(), "preview"),
    ]
