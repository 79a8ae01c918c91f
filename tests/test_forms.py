"""Forms and signs (forms.yaml): the model, the references to them, what the pages and binders
print. The printed pages themselves are checked on the sample build in tests/test_binders.py."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from preparedness_handbook.macros.context import make_context
from preparedness_handbook.macros.site.blocks import load_views
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.validators.engine import validate
from preparedness_handbook.validators.models.forms import Form, FormsFile
from tests.conftest import REPO, TODAY, copy_minimal

FORMS = """\
forms:
  - id: paper-call-log
    name: Paper call log
    purpose: Agents write down every call while laptops are down.
    instructions: |
      One line per call.
      Give the sheets to the team lead.
    fields:
      - label: Date
      - label: What they need
        kind: lines
        lines: 2
      - label: Paid by
        kind: choices
        choices: [Cash, Card]
      - label: Signature
        kind: box
      - label: Calls
        kind: table
        columns: [Time, Caller]
        rows: 3
  - id: door-sign
    name: Door sign
    purpose: Put it on the door.
    sign: We are open.
"""

WORKAROUND = """\
      - when_down: [laptops]
        instead: [Take calls on mobiles and log them on paper form A]
"""


def _data(tmp_path: Path, forms: str | None = FORMS, step: str = "[paper-call-log]") -> Path:
    data = copy_minimal(tmp_path / "data")
    if forms is not None:
        (data / "forms.yaml").write_text(forms, encoding="utf-8")
    path = data / "departments.yaml"
    text = path.read_text(encoding="utf-8")
    assert WORKAROUND in text
    path.write_text(text.replace(WORKAROUND, f"""\
      - when_down: [laptops]
        instead:
          - do: Take calls on mobiles and log them on the paper call log
            forms: {step}
"""), encoding="utf-8")
    return data


def _findings(data: Path) -> list[str]:
    cwd = os.getcwd()
    os.chdir(data.parent)
    try:
        result = validate(Path("data"), dt.date.fromisoformat(TODAY))
    finally:
        os.chdir(cwd)
    return [f"{f.file}:{f.line}:{f.column} {f.code} {f.path}: {f.message} ({f.hint})" for f in result.findings]


def test_a_form_and_a_sign() -> None:
    import yaml

    forms = FormsFile.model_validate(yaml.safe_load(FORMS)).forms
    assert [f.id for f in forms] == ["paper-call-log", "door-sign"]
    log = forms[0]
    assert [(x.kind, x.lines, x.rows) for x in log.fields] == [
        ("line", None, None), ("lines", 2, None), ("choices", None, None), ("box", None, None), ("table", None, 3)]
    assert log.instructions == "One line per call.\nGive the sheets to the team lead."
    assert forms[1].sign == "We are open." and forms[1].fields == []


def test_forms_are_optional_and_known_to_the_references(tmp_path: Path) -> None:
    data = _data(tmp_path)
    assert _findings(data) == []
    # No forms.yaml: the built-in postmortem form is still known, any other id is not.
    data = _data(tmp_path / "none", forms=None, step="[postmortem]")
    assert _findings(data) == []
    data = _data(tmp_path / "unknown", forms=None, step="[paper-call-log]")
    assert _findings(data) == [
        "data/departments.yaml:48:21 HB202 departments[2].degraded_mode[0].instead[0].forms[0]: unknown form "
        "'paper-call-log' (add it to forms.yaml, or use one of: postmortem)"
    ]


def test_an_unknown_form_says_what_to_write_instead(tmp_path: Path) -> None:
    data = _data(tmp_path, step="[paper-call-logs]")
    assert _findings(data) == [
        "data/departments.yaml:48:21 HB202 departments[2].degraded_mode[0].instead[0].forms[0]: unknown form "
        "'paper-call-logs' (did you mean 'paper-call-log'?)"
    ]


BAD_FORMS = """\
forms:
  - id: order-form
    name: Order form
    purpose: Shops take orders on it.
    fields:
      - label: Items
        kind: table
      - label: Paid by
        kind: choices
        rows: 2
      - label: Notes
        kind: line
        lines: 3
      - label: Size
        kind: big
      - label: Count
        kind: lines
        lines: 0
  - id: door-sign
    name: Door sign
    purpose: Put it on the door.
"""


def test_bad_forms_all_in_one_run(tmp_path: Path) -> None:
    data = _data(tmp_path, forms=BAD_FORMS, step="[order-form]")
    assert _findings(data) == [
        "data/forms.yaml:6:9 HB104 forms[0].fields[0]: the field 'Items' is a table without columns "
        "(add columns:, e.g. columns: [Time, Name, Phone])",
        "data/forms.yaml:8:9 HB104 forms[0].fields[1]: the field 'Paid by' is a list of choices with none to tick "
        "(add choices:, e.g. choices: [Cash, Card])",
        "data/forms.yaml:11:9 HB104 forms[0].fields[2]: the field 'Notes' has lines, which a line field does not "
        "take (write kind: lines or box, or remove lines:)",
        "data/forms.yaml:15:15 HB105 forms[0].fields[3].kind: 'big' is not one of the allowed values "
        "(write one of: box, line, lines, table, choices)",
        "data/forms.yaml:18:16 HB104 forms[0].fields[4].lines: '0' is out of range: input should be greater than "
        "or equal to 1 (change the number)",
        "data/forms.yaml:19:5 HB104 forms[1]: 'door-sign' has nothing to print (add fields: with what to fill in, "
        "or sign: with the words of a sign)",
    ]


def test_every_form_field_is_described() -> None:
    for model in (Form, *(Form.model_fields["fields"].annotation.__args__)):
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name}"


@pytest.fixture(scope="module")
def sample():
    result = validate(REPO / "data", dt.date.fromisoformat(TODAY))
    assert result.handbook is not None
    load_views()
    return make_context(result.handbook, "internal", version="test")


def test_an_action_names_its_form_with_a_link(sample) -> None:
    from preparedness_handbook.macros.views.departments import action

    step = next(a for a in sample.hb.department("customer-service").degraded_mode[0].instead if not isinstance(a, str))
    site = action(sample, step, Linker(current="departments/customer-service.md"))
    assert [str(u) for u in site.uses] == ['form: <a href="../../forms/paper-call-log/">Paper call log</a>']
    printed = action(sample, step, Linker(mode="print", included={"form:paper-call-log"}))
    assert [str(u) for u in printed.uses] == ['form: <a href="#form-paper-call-log">Paper call log</a>']
    # Not in the document: its name as text.
    assert [str(u) for u in action(sample, step, Linker(mode="print")).uses] == ["form: Paper call log"]


def test_an_action_gives_the_partner_number_its_text_names(sample) -> None:
    from preparedness_handbook.validators.queries import partner_contact_for

    bank = sample.hb.partner("lakeview-commerce-bank")
    assert partner_contact_for(bank, "Call the bank's fraud line at once").label == "Fraud line"
    assert partner_contact_for(bank, "Call the bank's BUSINESS LINE to hold payments").label == "Business line"
    assert partner_contact_for(bank, "Ring the bank").label == "Fraud line"  # the hotline


def test_a_binder_holds_the_forms_its_actions_name_before_the_postmortem_form(sample) -> None:
    from preparedness_handbook.macros.printing.binders import department_document, handbook_chapters

    keys = [ch.key for ch in department_document(sample, "finance").chapters]
    assert keys[-2:] == ["form:manual-payment-record", "rca"]
    keys = [ch.key for ch in department_document(sample, "sales").chapters]
    assert keys[-3:] == ["form:paper-card-slip", "form:door-sign", "rca"]
    assert not [k for k in (ch.key for ch in department_document(sample, "marketing").chapters) if k.startswith("form:")]
    chapter = department_document(sample, "sales").chapters[-2]
    assert chapter.cls == "hb-formchapter" and 'class="hb-sign"' in str(chapter.html())
    whole = [ch.key for ch in handbook_chapters(sample)]
    assert whole[whole.index("forms"):] == ["forms", *(f"form:{f.id}" for f in sample.hb.forms)]


def test_the_postmortem_form_is_ruled_as_a_forms_lines(sample) -> None:
    from preparedness_handbook.macros.views.rca import form_html

    html = str(form_html(sample, 1.0))
    assert html.count('<div class="hb-field">') == 16 and html.count('<div class="hb-rule"></div>') == 52
