"""forms.yaml — the paper forms to fill in and the signs to put up when systems are down."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .common import FormId, Line, Model, Text

FieldKind = Literal["line", "lines", "box", "choices", "table"]


class FormField(Model):
    """One thing to fill in on a form: a label and the room to write the answer."""

    label: Line = Field(description="What to write here, e.g. 'Caller's phone number'.")
    kind: FieldKind = Field(
        "line",
        description="The room to write in: `line` (one line), `lines` (several ruled lines), `box` (an empty box, "
        "for a signature or a sketch), `choices` (boxes to tick, listed under `choices:`) or `table` (rows and "
        "the `columns:` to fill in).",
    )
    lines: int | None = Field(
        None, ge=1, le=30,
        description="For `lines` and `box`: how many lines high (default 3 for lines, 4 for a box).",
    )
    choices: list[Line] = Field(
        default_factory=list, description="For `choices`: the boxes to tick, e.g. `[Cash, Card, Cheque]`.",
    )
    columns: list[Line] = Field(
        default_factory=list, description="For `table`: the column headings, e.g. `[Time, Caller, Phone, What they need]`.",
    )
    rows: int | None = Field(None, ge=1, le=40, description="For `table`: how many empty rows (default 10).")

    @model_validator(mode="after")
    def _fits_kind(self) -> FormField:
        if self.kind == "choices" and not self.choices:
            raise ValueError(f"the field '{self.label}' is a list of choices with none to tick: "
                             "add choices:, e.g. choices: [Cash, Card]")
        if self.kind == "table" and not self.columns:
            raise ValueError(f"the field '{self.label}' is a table without columns: "
                             "add columns:, e.g. columns: [Time, Name, Phone]")
        extra = [name for name, kinds in (("choices", ("choices",)), ("columns", ("table",)), ("rows", ("table",)),
                                          ("lines", ("lines", "box"))) if getattr(self, name) and self.kind not in kinds]
        if extra:
            needs = {"choices": "choices", "columns": "table", "rows": "table", "lines": "lines or box"}[extra[0]]
            raise ValueError(f"the field '{self.label}' has {extra[0]}, which a {self.kind} field does not take: "
                             f"write kind: {needs}, or remove {extra[0]}:")
        return self


class Form(Model):
    """A paper form to fill in by hand, or a sign to put up, printed in the binders that use it."""

    id: FormId = Field(description="Unique id, e.g. `paper-call-log`. Actions name the form by it: `forms: [paper-call-log]`.")
    name: Line = Field(description="The name people know it by, e.g. 'Paper call log'. Printed at the top of the form.")
    purpose: Line = Field(description="Who uses it and what for, in plain words, e.g. 'Agents write down every call "
                          "while the support desk is down.'")
    instructions: Text = Field("", description="How to fill it in and where it goes afterwards, printed under the name.")
    fields: list[FormField] = Field(
        default_factory=list, description="What to fill in, top to bottom. Leave it out for a sign.",
    )
    sign: Text = Field(
        "", description="For a sign to put up (a door sign): its words, printed large. A sign has no fields.",
    )

    @model_validator(mode="after")
    def _form_or_sign(self) -> Form:
        if self.fields and self.sign:
            raise ValueError(f"'{self.id}' has both fields and sign: a form has fields to fill in, a sign has words "
                             "to put up; keep one, or make two entries")
        if not self.fields and not self.sign:
            raise ValueError(f"'{self.id}' has nothing to print: add fields: with what to fill in, or sign: with the words "
                             "of a sign")
        return self


class FormsFile(Model):
    """A form is a page to fill in by hand (a call log, an order form, a payment record); a sign
    is a page of large words to put up (a door sign). An action names the ones it uses by id,
    `forms: [paper-call-log]`, and each department's binder prints the forms its own actions
    name, one page each, to copy."""

    forms: list[Form] = Field(default_factory=list, description="Paper forms and signs, for when systems are down.")
