"""pydantic v2 models, one module per data file."""

from .communications import CommunicationsFile
from .departments import DepartmentsFile
from .drills import DrillsFile
from .escalation import EscalationFile
from .forms import FormsFile
from .incidents import IncidentsFile
from .organization import OrganizationFile
from .partners import PartnersFile
from .people import PeopleFile
from .postmortems import Postmortem
from .roles import RolesFile
from .severity import SeverityFile

# file name in data/ → (top-level model, required?)
FILES = {
    "organization.yaml": (OrganizationFile, True),
    "people.yaml": (PeopleFile, True),
    "departments.yaml": (DepartmentsFile, True),
    "roles.yaml": (RolesFile, True),
    "severity.yaml": (SeverityFile, True),
    "escalation.yaml": (EscalationFile, True),
    "communications.yaml": (CommunicationsFile, True),
    "partners.yaml": (PartnersFile, True),
    "drills.yaml": (DrillsFile, True),
    "incidents.yaml": (IncidentsFile, False),
    "forms.yaml": (FormsFile, False),
}
POSTMORTEM_DIR = "postmortems"
POSTMORTEM_MODEL = Postmortem


def all_models() -> list[type]:
    """Every model a data file is made of, each once (for walks over every field)."""
    import typing

    from pydantic import BaseModel

    def types(annotation: typing.Any) -> list[typing.Any]:
        args = typing.get_args(annotation)
        return [annotation] + [t for a in args for t in types(a)] if args else [annotation]

    seen: list[type] = []
    todo: list[typing.Any] = [model for model, _ in FILES.values()] + [POSTMORTEM_MODEL]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            todo += [t for t in types(info.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
    return seen
