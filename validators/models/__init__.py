"""pydantic v2 models, one module per data file."""

from .communications import CommunicationsFile
from .departments import DepartmentsFile
from .drills import DrillsFile
from .escalation import EscalationFile
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
}
POSTMORTEM_DIR = "postmortems"
POSTMORTEM_MODEL = Postmortem
