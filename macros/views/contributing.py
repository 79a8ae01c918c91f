"""The "Contributing to this handbook" page's blocks: the data files and what every check means.

The page's prose (how to edit, how to preview, how to add an entry) is docs/contributing.md; the
words around the generated parts are in macros/partials/contributing/. The list of checks comes
from the same registries the validator runs (the data codes and the consistency rules with their
docstrings), so the page cannot drift from the checks.
"""

from __future__ import annotations

import re
import sys
from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html, md
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import block
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.validators.codes import DATA_CODES
from preparedness_handbook.validators.models import FILES, POSTMORTEM_DIR, POSTMORTEM_MODEL
from preparedness_handbook.validators.rules import RULES, Rule

# The rules' areas in the order the page explains them (their titles: partials/contributing/area_title.html);
# rules of any other area come last, under "Other checks".
AREAS = ("people", "severity", "communications", "partners", "drills", "postmortems", "departments")
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


def rule_facts(rule: Rule) -> SimpleNamespace:
    """What the partial prints of one rule: its summary in text and code by turns, its examples."""
    why, good, bad = rule_parts(rule)
    # `code` in a summary: split() gives text and code by turns.
    summary = [SimpleNamespace(code=bool(i % 2), text=part) for i, part in enumerate(_TICKS.split(rule.summary))]
    return SimpleNamespace(code=rule.code, level=rule.level, summary=summary, why=md(why), good=good, bad=bad)


def rule_html(ctx: BuildContext, rule: Rule) -> Html:
    return partial(ctx, "contributing/rule.html", rule=rule_facts(rule))


def _file_summary(model: type) -> str:
    doc = (sys.modules[model.__module__].__doc__ or "").strip()
    return doc.split(" — ", 1)[1].rstrip(".") if " — " in doc else doc


@block("contributing.files")
def files(ctx: BuildContext, link: Linker) -> Html:
    """Every data file and what it holds, from the models' own descriptions."""
    listed = [(name, model) for name, (model, _) in FILES.items()] + [(f"{POSTMORTEM_DIR}/<id>.yaml", POSTMORTEM_MODEL)]
    return partial(ctx, "contributing/files.html",
                   files=[SimpleNamespace(name=name, summary=_file_summary(model)) for name, model in listed])


def _title(ctx: BuildContext, name: str, **values: object) -> str:
    """A heading's words from a partial, as plain text (the sections' writer escapes it)."""
    return partial(ctx, name, **values).unescape()


@block("contributing.checks", level=3)
def checks(ctx: BuildContext, link: Linker) -> list[Section]:
    """The data codes, then the consistency rules area by area, each with its range of codes."""
    codes = list(DATA_CODES)
    data = [SimpleNamespace(code=code, text=text, level="warning" if code in DATA_WARNINGS else "error")
            for code, text in DATA_CODES.items()]
    sections = [Section(_title(ctx, "contributing/data_title.html", first=codes[0], last=codes[-1]),
                        partial(ctx, "contributing/data_codes.html", codes=data), "data-codes")]
    for area in AREAS:
        rules = [r for r in RULES if r.area == area]
        if rules:
            span = f"{rules[0].code}–{rules[-1].code}" if len(rules) > 1 else rules[0].code
            sections.append(Section(_title(ctx, "contributing/area_title.html", area=area, codes=span),
                                    Html("").join(rule_html(ctx, r) for r in rules), f"rules-{area}"))
    rest = [r for r in RULES if r.area not in AREAS]
    if rest:
        sections.append(Section(_title(ctx, "contributing/area_title.html", area="", codes=""),
                                Html("").join(rule_html(ctx, r) for r in rest), "rules-other"))
    return sections
