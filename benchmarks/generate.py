"""Seeded synthetic organizations for the benchmarks.

    python benchmarks/generate.py --size small|medium|large --out DIR [--seed N] [--today YYYY-MM-DD]

Writes a complete data folder (organization.yaml … postmortems/*.yaml) that passes
`handbook validate --today TODAY` with no errors. The same seed and today give the same files.

Sizes:
    small   ≈ 50 people, 10 departments, 15 partners, 12 drills, 3 postmortems
    medium  ≈ 500 people, 20 departments, 60 partners, 80 drills, 10 postmortems
    large   = 5,000 people, 60 departments, 300 partners, 500 drills, 50 postmortems

Phone numbers are fictional: US +1 <area> 555-01xx (the 100 numbers per area code reserved for
fiction) across the valid US area codes, and UK +44 20 7946 0xxx (Ofcom's drama range).
E-mail addresses use the reserved .example domain.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
import yaml

SIZES = {
    #          people depts partners drills postmortems templates
    "small": (50, 10, 15, 12, 3, 9),
    "medium": (500, 20, 60, 80, 10, 16),
    "large": (5000, 60, 300, 500, 50, 40),
}

FANOUT = 5        # nobody calls more than 5 people: within warn_fanout, so no warnings
MAX_DEPTH = 8     # call-tree depth allowed in organization.yaml (5,000 people need 7 or 8)

FIRST = ["Ana", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonah", "Kira", "Leo", "Maya", "Nils", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wes", "Xena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloe", "Diego", "Emeka", "Fiona", "Goran", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Marco", "Nadia", "Omar", "Priya", "Rafael", "Sofia", "Tomas", "Uma", "Victor", "Wen", "Yara", "Zane", "Aiko", "Bilal", "Cora", "Dmitri", "Esme", "Felix", "Gita", "Hamid", "Iris", "Jamal", "Keiko", "Luca", "Mina", "Noah", "Oren", "Petra", "Ravi", "Selin", "Theo", "Una", "Vik", "Willa"]
LAST = ["Alvarez", "Bell", "Carter", "Diaz", "Eze", "Feldman", "Garcia", "Haddad", "Ito", "Jensen", "Kapoor", "Lopez", "Mensah", "Novak", "Osei", "Park", "Qureshi", "Rossi", "Santos", "Tanaka", "Usman", "Volkov", "Wright", "Xu", "Young", "Zhang", "Adeyemi", "Brooks", "Chen", "Delgado", "Eriksson", "Fischer", "Gomez", "Herrera", "Ibrahim", "Jovanovic", "Kim", "Larsen", "Moreno", "Nguyen", "Okafor", "Patel", "Quinn", "Raman", "Silva", "Torres", "Ueda", "Vargas", "Walsh", "Yilmaz", "Zimmer", "Abbott", "Bianchi", "Costa", "Dubois", "Evans", "Flores", "Grant", "Hughes", "Iqbal", "Jones", "Khan", "Lindqvist", "Murphy", "Nakamura", "Olsen", "Price", "Reyes", "Shah", "Turner", "Varga", "Weber"]

CORE_DEPARTMENTS = [
    ("executive", "Executive team", [("board", 1), ("investors", 1), ("employees", 1)]),
    ("it", "IT", [("employees", 1)]),
    ("security", "Security", [("employees", 1), ("regulators", 1)]),
    ("communications", "Communications and PR", [("media", 1), ("employees", 1), ("customers", 1)]),
    ("customer-service", "Customer Service", [("customers", 1)]),
    ("sales", "Sales", [("customers", 1), ("partners", 1)]),
    ("marketing", "Marketing", [("customers", 1)]),
    ("legal", "Legal", [("regulators", 1), ("partners", 1)]),
    ("hr", "People (HR)", [("employees", 1)]),
    ("finance", "Finance", [("investors", 1), ("suppliers", 1)]),
    ("engineering", "Engineering", [("employees", 1)]),
]
EXTRA_KINDS = [
    ("sales", "Sales", ["customers", "partners"]),
    ("customer-service", "Customer Service", ["customers"]),
    ("stores", "Stores", ["customers", "employees"]),
    ("warehouse", "Warehouse", ["suppliers", "employees"]),
    ("engineering", "Engineering", ["employees"]),
    ("field-ops", "Field Operations", ["customers", "suppliers"]),
    ("marketing", "Marketing", ["customers"]),
    ("support", "Technical Support", ["customers"]),
]
REGIONS = ["north", "south", "east", "west", "central", "emea", "apac", "latam", "midwest", "coastal",
           "mountain", "lakes", "plains", "valley", "harbor", "metro"]

DEPENDENCIES = [
    ("laptops", "Staff laptops and shop PCs", True),
    ("sso", "Single sign-on (company login)", True),
    ("corp-chat", "Company chat", True),
    ("corp-email", "Company e-mail", True),
    ("voip", "Desk phones and the contact-centre phone system", True),
    ("internet", "Office internet", True),
    ("pos", "Shop tills (point of sale)", False),
    ("erp", "Order and stock system", False),
]
CRITICAL = [d for d, _, c in DEPENDENCIES if c]

LEVELS = [
    # id, rank, label, ack, coverage, update, chain, postmortem (required, meeting, actions)
    ("sev1", 1, "critical", "15m", "24x7", "30m", "critical", (True, "5d", "30d")),
    ("sev2", 2, "high", "30m", "24x7", "1h", "high", (True, "10d", "45d")),
    ("sev3", 3, "medium", "4h", "business-hours", "4h", "standard", (False, None, None)),
    ("sev4", 4, "low", "1d", "business-hours", "1d", "standard", (False, None, None)),
]

# role id → (name, levels, departments its holders come from)
ROLES = [
    ("incident-manager", "Incident manager", ["sev1", "sev2", "sev3", "sev4"], ["it", "security", "engineering"]),
    ("deputy-incident-manager", "Deputy incident manager", ["sev1", "sev2"], ["it", "engineering"]),
    ("scribe", "Scribe", ["sev1", "sev2"], ["hr", "finance", "legal"]),
    ("technical-lead", "Technical lead", ["sev1", "sev2", "sev3"], ["engineering", "it"]),
    ("security-lead", "Security lead", ["sev1", "sev2"], ["security"]),
    ("communications-lead", "Communications lead", ["sev1", "sev2"], ["communications", "marketing"]),
    ("customer-liaison", "Customer liaison", ["sev1", "sev2", "sev3"], ["customer-service"]),
    ("legal-lead", "Legal lead", ["sev1", "sev2"], ["legal"]),
    ("people-lead", "People lead", ["sev1", "sev2"], ["hr"]),
    ("executive-sponsor", "Executive sponsor", ["sev1"], ["executive"]),
]

CHANNELS = [
    # id, name, kind, use, depends_on, has number, pin, public
    ("bridge", "Incident bridge (conference line)", "phone-bridge", "primary", [], True, True, False),
    ("hotline", "Incident hotline", "voice", "primary", [], True, False, False),
    ("phone-call", "Direct phone call", "voice", "primary", [], False, False, False),
    ("sms-alerts", "Emergency text alerts", "sms", "primary", [], True, False, False),
    ("incident-room", "Company chat: #incident-room", "chat", "primary", ["corp-chat", "sso", "internet"], False, False, False),
    ("incident-email", "Incident e-mail list", "email", "primary", ["corp-email", "sso", "internet"], False, False, False),
    ("signal-leads", "Incident leads Signal group", "messenger", "backup", ["internet"], False, False, False),
    ("status-page", "Public status page", "status-page", "primary", ["internet"], False, False, True),
    ("support-line", "Customer support line", "voice", "primary", ["voip"], True, False, True),
    ("radios", "Two-way radios", "radio", "backup", [], False, False, False),
    ("sms-backup", "Backup text broadcast (second provider)", "sms", "backup", [], True, False, False),
    ("rally-point", "HQ rally point", "in-person", "backup", [], False, False, False),
]

CATEGORIES = ["insurer", "broker", "breach-counsel", "forensics", "pr", "law-enforcement",
              "regulator", "isac", "vendor", "cloud", "msp"]
CATEGORY_NOUN = {
    "insurer": ("Mutual Insurance — Cyber Claims", "legal-lead", "policy"),
    "broker": ("Risk Partners", "executive-sponsor", "msa"),
    "breach-counsel": ("LLP", "legal-lead", "panel"),
    "forensics": ("Forensics", "security-lead", "retainer"),
    "pr": ("Public Relations", "communications-lead", "retainer"),
    "law-enforcement": ("Cyber Task Force", "legal-lead", "none"),
    "regulator": ("Data Protection Office", "legal-lead", "none"),
    "isac": ("Threat Exchange", "security-lead", "msa"),
    "vendor": ("Software", "technical-lead", "msa"),
    "cloud": ("Cloud", "technical-lead", "msa"),
    "msp": ("Managed IT", "technical-lead", "retainer"),
}
PARTNER_WORDS = ["Lakeshore", "Meridian", "Calder", "Northlight", "Brightwater", "Harbor", "Summit", "Granite", "Cedar", "Beacon", "Ironwood", "Bluestem", "Copper", "Prairie", "Riverside", "Redwood", "Silverline", "Keystone", "Oakridge", "Pinecrest", "Foxglove", "Larkspur", "Sterling", "Westgate", "Eastwind", "Highmark", "Clearwater", "Stonebridge", "Juniper", "Alder"]

DRILL_TYPES = ["tabletop", "game-day", "call-tree-test", "failover", "comms-outage", "functional", "full-scale"]
SCENARIOS = [
    ("All workstations unavailable", ["laptops", "sso"],
     "At 9:00 every laptop shows a blue screen and restarts in a loop. Phones still work."),
    ("Ransomware in the order system", ["laptops"],
     "A ransom note appears on a shop PC, then on the order system. The attackers say they copied customer data."),
    ("Chat and e-mail down", ["corp-chat", "corp-email"],
     "The company login provider has an outage. Nobody can sign in to chat or e-mail for a day."),
    ("Office internet cut", ["internet", "voip"],
     "A digger cuts the fibre to headquarters. Desk phones and office Wi-Fi are gone until tomorrow."),
    ("Customer data for sale", [],
     "A journalist calls: a file with customer names and addresses is for sale on a forum."),
    ("Payment provider outage", [],
     "Card payments fail in every shop and online on the busiest Saturday of the year."),
    ("Cloud region failure", ["internet"],
     "The cloud region that runs the online store goes dark. The backup region must take over."),
]


class PhonePool:
    """Unique, valid, fictional phone numbers."""

    def __init__(self, rng: random.Random) -> None:
        areas = []
        for a in range(200, 1000):
            n = phonenumbers.parse(f"+1 {a} 555 0100")
            # Geographic codes only: 900 is premium-rate, 8xx toll-free, and HB307 warns a mobile there.
            geographic = phonenumbers.number_type(n) in (phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
                                                         phonenumbers.PhoneNumberType.MOBILE)
            if geographic and phonenumbers.region_code_for_number(n) == "US":
                areas.append(a)
        rng.shuffle(areas)
        head = [312, 773, 847, 630, 708]
        self.areas = head + [a for a in areas if a not in head]
        self.rng = rng
        self.next = 0
        self.uk = 0

    def us(self) -> str:
        i = self.next
        self.next += 1
        area = self.areas[(i // 100) % len(self.areas)]
        return f"+1 {area} 555 {100 + i % 100:04d}"

    def uk_number(self) -> str:
        i = self.uk % 1000
        self.uk += 1
        return f"+44 20 7946 {i:04d}"

    def any(self) -> str:
        return self.uk_number() if self.rng.random() < 0.05 else self.us()


@dataclass
class Person:
    id: str
    name: str
    title: str
    department: str
    reports_to: str | None
    children: list[str] = field(default_factory=list)
    qualifications: list[str] = field(default_factory=list)


class Generator:
    def __init__(self, size: str, seed: int, today: dt.date) -> None:
        (self.n_people, self.n_depts, self.n_partners, self.n_drills,
         self.n_postmortems, self.n_templates) = SIZES[size]
        self.size = size
        self.rng = random.Random(seed)
        self.today = today
        self.phones = PhonePool(self.rng)
        self.people: dict[str, Person] = {}
        self.used_ids: set[str] = set()
        self.domain = "northwind-outfitters.example"

    # --- helpers -------------------------------------------------------------------------
    def day(self, back: int = 0, ahead: int = 0) -> dt.date:
        return self.today - dt.timedelta(days=back) + dt.timedelta(days=ahead)

    def unique_name(self) -> tuple[str, str]:
        while True:
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            base = f"{first}-{last}".lower()
            pid, k = base, 2
            while pid in self.used_ids:
                pid, k = f"{base}-{k}", k + 1
            self.used_ids.add(pid)
            return pid, f"{first} {last}" + (f" {k - 1}" if k > 2 else "")

    def add_person(self, title: str, dept: str, boss: str | None) -> str:
        pid, name = self.unique_name()
        self.people[pid] = Person(pid, name, title, dept, boss)
        if boss:
            self.people[boss].children.append(pid)
        return pid

    # --- departments and people ----------------------------------------------------------
    def departments(self) -> list[tuple[str, str, list[str]]]:
        core = CORE_DEPARTMENTS[: min(len(CORE_DEPARTMENTS), self.n_depts)]
        # every size keeps the departments the roles come from
        depts = [(i, n, [a for a, _ in aud]) for i, n, aud in core]
        k = 0
        while len(depts) < self.n_depts:
            kind, name, aud = EXTRA_KINDS[k % len(EXTRA_KINDS)]
            region = REGIONS[(k // len(EXTRA_KINDS)) % len(REGIONS)]
            depts.append((f"{kind}-{region}", f"{name} — {region.title()}", aud))
            k += 1
        return depts

    def build_people(self) -> None:
        depts = self.departments()
        self.dept_list = depts
        n_exec = 5 if self.n_people >= 200 else 3
        others = [d for d, _, _ in depts if d != "executive"]
        remaining = self.n_people - 1 - n_exec - 1  # CEO, executives, incident manager
        # department sizes: random, at least 3, at most ~2.2x the mean
        mean = remaining / len(others)
        weights = [self.rng.uniform(0.5, 1.6) for _ in others]
        total = sum(weights)
        sizes = [max(3, int(remaining * w / total)) for w in weights]
        diff = remaining - sum(sizes)
        i = 0
        while diff != 0:
            j = i % len(sizes)
            if diff > 0 and sizes[j] < 2.2 * mean:
                sizes[j] += 1
                diff -= 1
            elif diff < 0 and sizes[j] > 3:
                sizes[j] -= 1
                diff += 1
            i += 1
        self.sizes = dict(zip(others, sizes))

        ceo = self.add_person("Chief Executive Officer", "executive", None)
        self.ceo = ceo
        exec_titles = ["Chief Operating Officer", "Chief Technology Officer", "Chief Financial Officer",
                       "Chief People Officer", "Chief Commercial Officer"]
        execs = [self.add_person(t, "executive", ceo) for t in exec_titles[:n_exec]]
        self.execs = execs
        # heads of departments: a tree under the executives, each node taking at most 2 heads
        heads: dict[str, str] = {}
        queue: list[str] = []
        for n, d in enumerate(others):
            # fill the executives first (round robin), then heads under heads, breadth first
            if n < len(execs) * FANOUT:
                boss = execs[n % len(execs)]
            else:
                boss = queue.pop(0)
            dname = next(nm for i, nm, _ in depts if i == d)
            head = self.add_person(f"Head of {dname}", d, boss)
            heads[d] = head
            queue.extend([head, head])
        self.heads = heads
        # each department's staff fills its head's free slots, breadth first, FANOUT per person
        for d in others:
            head = heads[d]
            want = self.sizes[d] - 1
            frontier = [head]
            level_titles = ["Manager", "Team lead", "Specialist", "Associate", "Coordinator"]
            depth = 0
            while want > 0:
                nxt = []
                for boss in frontier:
                    free = FANOUT - len(self.people[boss].children)
                    for _ in range(max(0, free)):
                        if want == 0:
                            break
                        dname = next(nm for i, nm, _ in depts if i == d)
                        title = f"{level_titles[min(depth, len(level_titles) - 1)]}, {dname}"
                        nxt.append(self.add_person(title, d, boss))
                        want -= 1
                if not nxt:
                    raise SystemExit(f"cannot place the staff of {d}")
                frontier = nxt
                depth += 1
        # the incident manager: a dedicated person in IT, root of the call tree, no reports
        self.im = self.add_person("Incident Response Manager", "it", heads["it"])
        # the IM is the root: its reports_to slot is not a call, so take it out of the fan-out
        self.people[heads["it"]].children.remove(self.im)

    def call_depths(self) -> dict[str, int]:
        """Depth in the call tree: root = incident manager; the CEO (no manager) is called by it."""
        children: dict[str, list[str]] = {}
        for p in self.people.values():
            if p.id == self.im:
                continue
            caller = self.overrides.get(p.id) or p.reports_to or self.im
            children.setdefault(caller, []).append(p.id)
        self.call_children = children
        depth = {self.im: 0}
        stack = [self.im]
        while stack:
            cur = stack.pop()
            for c in children.get(cur, []):
                depth[c] = depth[cur] + 1
                stack.append(c)
        return depth

    # --- roles -------------------------------------------------------------------------
    def assign_roles(self) -> None:
        by_dept: dict[str, list[str]] = {}
        for p in self.people.values():
            by_dept.setdefault(p.department, []).append(p.id)
        taken: dict[str, int] = {}
        self.roles: list[dict] = []
        for rid, name, levels, from_depts in ROLES:
            pool = [pid for d in from_depts for pid in by_dept.get(d, [])]
            pool.sort(key=lambda pid: (taken.get(pid, 0), len(pid), pid))
            if rid == "incident-manager":
                pool = [pid for pid in pool if pid != self.im]
                holders = [self.im] + pool[:3]
            elif rid == "executive-sponsor":
                holders = [self.ceo] + self.execs[:2]
            else:
                holders = pool[:3]
            for pid in holders:
                taken[pid] = taken.get(pid, 0) + 1
                self.people[pid].qualifications.append(rid)
            self.roles.append({
                "id": rid,
                "name": name,
                **({"incident_manager": True} if rid == "incident-manager" else {}),
                "summary": f"The {name.lower()} during an incident: named in advance, with backups.",
                "responsibilities": [
                    f"Take up the {name.lower()} duties as soon as the level is declared.",
                    "Report to the incident manager on the bridge every update cycle.",
                    "Hand over to a backup by phone if you cannot continue.",
                ],
                "authorities": [f"Decides the {name.lower()} matters without further approval."],
                "primary": holders[0],
                "backups": holders[1:],
                "activated_at": levels,
            })

    # --- files -------------------------------------------------------------------------
    def organization(self) -> dict:
        return {"organization": {
            "name": "Northwind Outfitters",
            "handbook_title": "Northwind Outfitters Incident Preparedness Handbook",
            "timezone": "America/Chicago",
            "site_url": "https://handbook.northwind.example/",
            "phone_region": "US",
            "dependencies": [
                {"id": i, "name": n, "description": f"{n}. Without it, work moves to phones and paper.", "critical": c}
                for i, n, c in DEPENDENCIES
            ],
            "required_partner_categories": CATEGORIES[:7],
            "review": {
                "contact_reverify": "180d", "partner_review": "365d", "drill_window": "365d",
                "binder_valid_for": "90d", "contract_warning": "60d", "template_warning": "30d",
            },
            "call_tree": {"max_fanout": 7, "warn_fanout": 5, "max_depth": self.max_depth},
        }}

    def person_yaml(self, p: Person) -> dict:
        first = p.name.split()[0].lower()
        email = f"{p.id.replace('-', '.')}@{self.domain}"
        contacts = [{"kind": "mobile", "value": self.phones.any()}]
        r = self.rng.random()
        if r < 0.35:
            contacts.append({"kind": "landline", "value": self.phones.us(), "label": "home"})
        contacts.append({"kind": "work-phone", "value": self.phones.us(), "label": "desk", "depends_on": ["voip"]})
        if r > 0.8:
            contacts.append({"kind": "secure-messenger", "value": f"Signal @{first}{len(p.id)}",
                             "label": "Signal", "depends_on": ["internet"]})
        contacts.append({"kind": "work-email", "value": email, "depends_on": ["corp-email", "sso"]})
        out = {
            "id": p.id, "name": p.name, "title": p.title, "department": p.department,
            "reports_to": p.reports_to, "location": self.rng.choice(
                ["Chicago HQ", "Evanston", "Naperville", "remote, Denver", "Oak Park", "remote, Austin"]),
            "contacts": contacts,
            "last_verified": self.day(back=self.rng.randint(1, 170)),
        }
        if p.qualifications:
            out["qualifications"] = p.qualifications
        return out

    def department_yaml(self) -> dict:
        level_ids = [lv[0] for lv in LEVELS]
        actions = {
            "sev1": ["Join the bridge within 30 minutes.", "Switch to the printed binder and phones.",
                     "Tell the bridge every 30 minutes what your team sees.", "Pause anything scheduled that could make it worse."],
            "sev2": ["Have the liaison join the bridge.", "Use the approved scripts with anyone outside.",
                     "Report the effect on your work every hour."],
            "sev3": ["Log the issue and the workaround.", "Tell the liaison if it spreads."],
            "sev4": ["Log the issue.", "Carry on; watch the status page."],
        }
        out = []
        for did, name, aud in self.dept_list:
            head = self.ceo if did == "executive" else self.heads[did]
            members = [p.id for p in self.people.values() if p.department == did and p.id != head]
            liaison = members[0] if members else head
            out.append({
                "id": did, "name": name, "head": head, "liaison": liaison,
                "purpose": f"{name} keeps its part of the business running in an incident. "
                           "It tells the bridge what it sees and follows the plan below.",
                "audiences": aud,
                "playbook": {lid: actions[lid] for lid in level_ids},
                "degraded_mode": [
                    {"when_down": ["laptops"], "instead": ["Use the printed binder for phone numbers.",
                                                           "Write every decision on the paper log sheet."]},
                    {"when_down": ["corp-chat", "corp-email"], "instead": ["Use phone calls and the text alerts.",
                                                                          "Join the bridge from a mobile."]},
                ],
            })
        return {"departments": out}

    def severity_yaml(self) -> dict:
        engaged = {lid: [r[0] for r in ROLES if lid in r[2]] for lid, *_ in LEVELS}
        dept_ids = [d for d, _, _ in self.dept_list]
        out = []
        for lid, rank, label, ack, cov, upd, chain, (req, meet, due) in LEVELS:
            examples = [{"text": f"A {label} problem noticed first by {nm}.", "department": d}
                        for d, nm, _ in self.dept_list[:4 + rank]]
            pm = {"required": req}
            if meet:
                pm.update({"meeting_within": meet, "actions_due_within": due})
            out.append({
                "id": lid, "rank": rank, "name": f"SEV {rank} — {label.title()}", "label": label,
                "summary": f"A {label} incident.",
                "criteria": [f"Checkout fails for more than {15 * rank} minutes.",
                             f"More than {40 // rank}% of staff cannot work."],
                "examples": examples,
                "response": {"acknowledge_within": ack, "coverage": cov},
                "roles_engaged": engaged[lid],
                "departments_notified": dept_ids if rank == 1 else dept_ids[: max(3, len(dept_ids) // (rank * 2))],
                "who_may_declare": ["anyone"] if rank <= 2 else ["incident-manager", "technical-lead"],
                "update_every": upd,
                "channels": ["bridge", "phone-call", "sms-alerts", "incident-room"] if rank <= 2 else ["incident-room", "incident-email"],
                "public_notice": rank == 1,
                "escalation": chain,
                "postmortem": pm,
            })
        return {"levels": out}

    def escalation_yaml(self) -> dict:
        dept_ids = [d for d, _, _ in self.dept_list]
        half = len(dept_ids) // 2
        by_cat: dict[str, list[str]] = {}
        for p in self.partners:
            by_cat.setdefault(p["category"], []).append(p["id"])

        def few(cat: str, n: int = 3) -> list[str]:
            return by_cat.get(cat, [])[:n]

        critical = {"id": "critical", "name": "Critical (SEV 1)", "levels": ["sev1"], "ack_timeout": "5m", "steps": [
            {"after": "0m", "roles": ["incident-manager", "technical-lead"], "via": ["phone-call", "sms-alerts"],
             "note": "Call the incident manager's mobile. Do not wait for e-mail or chat."},
            {"after": "15m", "roles": ["deputy-incident-manager", "scribe", "security-lead", "communications-lead"],
             "via": ["phone-call", "bridge"]},
            {"after": "30m", "roles": ["customer-liaison", "legal-lead", "executive-sponsor"],
             "departments": dept_ids[:half], "via": ["bridge", "phone-call", "sms-alerts"]},
            {"after": "1h", "roles": ["people-lead"], "departments": dept_ids[half:],
             "partners": few("vendor") + few("cloud") + few("msp"), "via": ["phone-call", "sms-alerts"]},
            {"after": "2h", "partners": few("forensics") + few("breach-counsel"), "via": ["phone-call"]},
            {"after": "4h", "partners": by_cat.get("insurer", []) + few("broker"), "via": ["phone-call"],
             "note": "Open a claim on each insurer's 24x7 hotline before hiring anyone."},
            {"after": "8h", "partners": few("law-enforcement") + few("isac"), "via": ["phone-call", "incident-email"]},
            {"after": "24h", "partners": few("regulator") + few("pr"), "via": ["phone-call", "incident-email"]},
        ]}
        high = {"id": "high", "name": "High (SEV 2)", "levels": ["sev2"], "ack_timeout": "10m", "steps": [
            {"after": "0m", "roles": ["incident-manager", "technical-lead"], "via": ["phone-call", "sms-alerts"]},
            {"after": "30m", "roles": ["deputy-incident-manager", "communications-lead", "customer-liaison", "security-lead"],
             "via": ["phone-call", "bridge"]},
            {"after": "1h", "roles": ["scribe"], "departments": dept_ids[: max(4, len(dept_ids) // 3)],
             "partners": few("vendor", 2) + few("cloud", 2), "via": ["incident-room", "phone-call"]},
            {"after": "4h", "roles": ["legal-lead", "people-lead"], "people": [self.ceo], "via": ["phone-call", "incident-email"]},
        ]}
        standard = {"id": "standard", "name": "Standard (SEV 3 and 4)", "levels": ["sev3", "sev4"], "ack_timeout": "1h", "steps": [
            {"after": "0m", "roles": ["incident-manager"], "via": ["incident-room", "phone-call"]},
            {"after": "4h", "roles": ["technical-lead", "customer-liaison"], "departments": ["it"],
             "via": ["incident-room", "incident-email"]},
        ]}
        return {"chains": [critical, high, standard]}

    def communications_yaml(self) -> dict:
        owners = [self.im] + self.roles[1]["backups"]
        channels = []
        for i, (cid, name, kind, use, deps, has_number, pin, public) in enumerate(CHANNELS):
            ch = {"id": cid, "name": name, "kind": kind, "use": use, "depends_on": deps}
            if has_number:
                ch["number"] = self.phones.us()
            if pin:
                ch["pin"] = "740 291 6#"
            address = (f"incidents@{self.domain}" if kind == "email"  # an e-mail channel's address is checked
                       else "Dial from any phone" if has_number else "See the instructions")
            ch.update({"address": address,
                       "instructions": f"How to use the {name.lower()}: follow the card in your binder.",
                       "owner": owners[i % len(owners)],
                       "last_tested": self.day(back=self.rng.randint(10, 200))})
            if public:
                ch["public"] = True
            channels.append(ch)
        audiences = ["employees", "customers", "media", "regulators", "partners", "board", "investors", "suppliers"]
        approver = {"employees": "communications-lead", "customers": "communications-lead", "media": "communications-lead",
                    "regulators": "legal-lead", "partners": "incident-manager", "board": "executive-sponsor",
                    "investors": "executive-sponsor", "suppliers": "incident-manager"}
        templates = []
        for i in range(self.n_templates):
            aud = audiences[i % len(audiences)]
            approved = self.day(back=self.rng.randint(30, 300))
            templates.append({
                "id": f"{aud}-notice-{i + 1}", "name": f"{aud.title()} — notice {i + 1}", "audience": aud,
                "levels": ["sev1", "sev2"] if i % 3 else ["sev1"],
                "channel": "Text alerts and the call tree; e-mail when it works",
                "subject": "Northwind incident: {short_title}",
                "body": "We have a {level} incident since {start_time}: {one_line_summary}.\n"
                        "What to do now: {what_to_do_now}\nNext update by {next_update_time}.\n",
                "approver": approver[aud],
                "approved": approved,
                "expires": approved + dt.timedelta(days=365 + 60),
            })
        # a few explicit overrides and alternates, as real organizations have
        overrides = [{"person": self.heads["security"], "called_by": self.im},
                     {"person": self.heads["communications"], "called_by": self.im}]
        alternates = [{"person": self.heads["security"], "alternate": self.roles[0]["backups"][0]},
                      {"person": self.heads["communications"], "alternate": self.roles[0]["backups"][1]}]
        return {
            "channels": channels, "hotline": "hotline", "bridge": "bridge",
            "call_tree": {
                "root": "incident-manager", "follow_reporting_lines": True,
                "overrides": overrides, "alternates": alternates,
                "script": "This is **{caller_name}** from Northwind with an incident call.\n"
                          "We have a **{level}** incident: {one_line_summary}.\n\n"
                          "1. Do not use company chat or e-mail until told.\n"
                          "2. Call the people on your list now.\n"
                          "3. Text me \"OK\" when you and your list are done.\n",
                "confirm_back": "Text \"OK\" and your name to the person who called you.",
                "unreachable": "Call twice, leave a voicemail and a text, then call their list yourself.",
                "report_back_within": "15 minutes",
                "no_call_within": "30 minutes",
            },
            "templates": templates,
        }

    def build_partners(self) -> None:
        owners = [r["primary"] for r in self.roles]
        self.partners = []
        used: set[str] = set()
        for i in range(self.n_partners):
            cat = CATEGORIES[i % len(CATEGORIES)]
            noun, engaged_by, kind = CATEGORY_NOUN[cat]
            word = PARTNER_WORDS[(i * 7) % len(PARTNER_WORDS)]
            pid = f"{word.lower()}-{cat}"
            k = 2
            while pid in used:
                pid, k = f"{word.lower()}-{cat}-{k}", k + 1
            used.add(pid)
            start = self.day(back=self.rng.randint(30, 700))
            contract = {"kind": kind}
            if kind != "none":
                contract.update({"number": f"{word[:3].upper()}-{2026 - i % 3}-{10000 + i}", "start": start,
                                 "end": self.day(ahead=self.rng.randint(90, 700)), "sla": "Answers within 1 hour, day or night."})
            p = {
                "id": pid, "name": f"{word} {noun}", "category": cat,
                "services": [f"{cat.replace('-', ' ').title()} services during an incident.", "Advice before we commit to costs."],
                "contacts": [
                    {"label": "24x7 hotline", "phone": self.phones.any(), "email": f"hotline@{pid}.example",
                     "hours": "24x7", "hotline": True},
                    {"label": "Account manager", "name": f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}",
                     "phone": self.phones.us(), "email": f"account@{pid}.example"},
                ],
                "engage_when": {"levels": ["sev1"] if i % 2 else ["sev1", "sev2"],
                                "scenarios": ["Customer or staff data may be exposed.", "Sales stop for more than 4 hours."]},
                "engaged_by": engaged_by,
                "owner": owners[i % len(owners)],
                "contract": contract,
                "pre_approved": cat in ("breach-counsel", "forensics", "pr") and i % 2 == 0,
                "last_verified": self.day(back=self.rng.randint(5, 330)),
            }
            if cat in ("insurer", "regulator"):
                p["notification_deadline"] = "72h"
            self.partners.append(p)

    def drills_yaml(self) -> dict:
        dept_ids = [d for d, _, _ in self.dept_list]
        everyone = list(self.people)
        drills = []
        cover = 0  # departments covered in order so every one takes part in a recent run
        for i in range(self.n_drills):
            dtype = DRILL_TYPES[i % len(DRILL_TYPES)]
            title, failed, narrative = SCENARIOS[i % len(SCENARIOS)]
            n_d = self.rng.randint(2, 5)
            depts = []
            for _ in range(n_d):
                depts.append(dept_ids[cover % len(dept_ids)])
                cover += 1
            depts = list(dict.fromkeys(depts))
            levels = ["sev1"] if i % 3 == 0 else (["sev2"] if i % 3 == 1 else ["sev1", "sev2"])
            runs = []
            n_done = self.rng.randint(1, 3)
            backs = sorted((self.rng.randint(5, 340) for _ in range(n_done)), reverse=True)
            for b in backs:
                date = self.day(back=b)
                run = {"date": date, "start": "10:00", "status": "done", "participants": depts,
                       "people_count": self.rng.randint(6, 40)}
                if dtype == "call-tree-test":
                    run.update({"reached_percent": self.rng.randint(80, 100), "minutes_to_reach": self.rng.randint(20, 60)})
                findings = []
                for f in range(self.rng.randint(0, 2)):
                    due = date + dt.timedelta(days=self.rng.randint(20, 120))
                    status = "done" if due < self.today else "open"
                    findings.append({"text": f"Finding {f + 1}: two numbers in the call list were out of date.",
                                     "action": {"text": "Re-check the numbers and reprint the call list.",
                                                "owner": self.rng.choice(everyone), "due": due, "status": status}})
                if findings:
                    run["findings"] = findings
                runs.append(run)
            runs.append({"date": self.day(ahead=self.rng.randint(10, 200)), "start": "10:00", "status": "planned"})
            if i % 11 == 5:
                runs.insert(0, {"date": self.day(back=360), "status": "cancelled", "notes": "Moved: holiday week."})
            slug = title.lower().replace(" ", "-").replace("'", "")
            drills.append({
                "id": f"{slug}-{i + 1}", "title": f"{title} ({dtype}, #{i + 1})", "type": dtype,
                "scenario": {"narrative": narrative, "failed_dependencies": failed},
                "levels": levels,
                "objectives": ["Declare the level and open the bridge within 15 minutes.",
                               "Reach every person in the call tree within 45 minutes."],
                "departments": depts,
                "facilitator": self.rng.choice(everyone),
                "cadence": "365d",
                "length": "2h",
                "injects": [
                    {"at": "0m", "message": "The hotline rings: nothing starts.", "expected_action": "Declare and open the bridge.",
                     "role": "incident-manager"},
                    {"at": "30m", "message": "A reporter calls.", "expected_action": "Use the holding statement only.",
                     "role": "communications-lead"},
                ],
                "runs": runs,
            })
        return {"drills": drills}

    def postmortems(self) -> tuple[dict, dict[str, dict]]:
        everyone = list(self.people)
        incidents, files = [], {}
        for i in range(self.n_postmortems):
            level = "sev1" if i % 3 == 0 else "sev2"
            meet = 5 if level == "sev1" else 10
            date = self.day(back=self.rng.randint(15, 700))
            pid = f"{date.isoformat()[:7]}-incident-{i + 1}"
            status = ["closed", "in-review", "draft"][i % 3]
            actions = []
            limit = 30 if level == "sev1" else 45  # actions_due_within of the level (LEVELS)
            for a in range(self.rng.randint(3, 8)):
                # the same draw as always (the rest of the org stays as it was), within the policy
                due = date + dt.timedelta(days=10 + (self.rng.randint(10, 60) - 10) * (limit - 10) // 50)
                actions.append({"type": ["mitigate", "prevent", "detect", "process", "document"][a % 5],
                                "text": f"Correction {a + 1}: stage vendor updates and test the fallback.",
                                "owner": self.rng.choice(everyone), "due": due,
                                "status": "done" if due < self.today else "open"})
            pm = {
                "id": pid, "title": f"Incident {i + 1}: faulty update stopped the tills", "incident_date": date,
                "level": level, "status": status, "owner": self.rng.choice(everyone),
                "summary": "A faulty vendor update made laptops and tills restart in a loop. "
                           "Checkout failed for two hours. The shops traded on paper.",
                "impact": "- **Online store:** checkout failed for two hours.\n- **Shops:** tills down until noon.\n",
                "timeline": [
                    {"at": f"{date.isoformat()}T04:{10 + k * 7:02d}:00-06:00", "text": f"Step {k + 1} of the response."}
                    for k in range(6)
                ],
                "detection": "A monitoring alert paged the on-call engineer.",
                "trigger": "A faulty content update from a vendor.",
                "contributing_factors": ["All devices took updates at once.", "The alert went to e-mail first."],
                "five_whys": ["Why did checkout fail? The servers crashed.", "Why? The update broke them."],
                "root_cause": "Vendor updates were not treated as changes.",
                "resolution": "Devices were started in safe mode and the file removed.",
                "lessons": {"went_well": ["The call tree worked."], "went_wrong": ["Detection was slow."],
                            "got_lucky": ["It was a quiet day."]},
                "action_items": actions,
            }
            if status != "draft":
                pm["review_meeting"] = date + dt.timedelta(days=self.rng.randint(1, meet))
            files[pid] = pm
            incidents.append({"id": pid, "title": pm["title"], "date": date, "level": level, "postmortem": pid})
        for i in range(self.n_postmortems):
            date = self.day(back=self.rng.randint(5, 700))
            incidents.append({"id": f"minor-{i + 1}", "title": f"Minor incident {i + 1}", "date": date,
                              "level": "sev3" if i % 2 else "sev4"})
        incidents.sort(key=lambda x: x["date"], reverse=True)
        return {"incidents": incidents}, files

    def generate(self) -> dict[str, dict]:
        self.build_people()
        self.overrides = {self.heads["security"]: self.im, self.heads["communications"]: self.im}
        depths = self.call_depths()
        assert len(depths) == len(self.people), "call tree does not reach everyone"
        self.max_depth = max(MAX_DEPTH, max(depths.values()))
        fan = max(len(v) for v in self.call_children.values())
        assert fan <= FANOUT, f"fan-out {fan}"
        self.assign_roles()
        self.build_partners()
        files = {
            "organization.yaml": self.organization(),
            "people.yaml": {"people": [self.person_yaml(p) for p in self.people.values()]},
            "departments.yaml": self.department_yaml(),
            "roles.yaml": {"roles": self.roles},
            "severity.yaml": self.severity_yaml(),
            "escalation.yaml": self.escalation_yaml(),
            "communications.yaml": self.communications_yaml(),
            "partners.yaml": {"partners": self.partners},
            "drills.yaml": self.drills_yaml(),
        }
        incidents, pms = self.postmortems()
        files["incidents.yaml"] = incidents
        for pid, pm in pms.items():
            files[f"postmortems/{pid}.yaml"] = pm
        self.stats = {
            "people": len(self.people), "departments": len(self.dept_list), "partners": len(self.partners),
            "drills": self.n_drills, "postmortems": len(pms), "templates": self.n_templates,
            "call_tree_depth": max(depths.values()), "call_tree_max_fanout": fan,
        }
        return files


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def write(files: dict[str, dict], out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    (out / "postmortems").mkdir(parents=True)
    for name, data in files.items():
        stem = "postmortem" if name.startswith("postmortems/") else name[:-5]
        prefix = "../../schemas" if name.startswith("postmortems/") else "../schemas"
        text = f"# yaml-language-server: $schema={prefix}/{stem}.schema.json\n# Generated by benchmarks/generate.py\n\n"
        text += yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
        (out / name).write_text(text, encoding="utf-8")


def generate(size: str, out: Path, seed: int = 20260727, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    gen = Generator(size, seed, today)
    files = gen.generate()
    write(files, out)
    stats = {"size": size, "seed": seed, "today": today.isoformat(), **gen.stats,
             "bytes": sum(p.stat().st_size for p in out.rglob("*.yaml")),
             "people_yaml_lines": (out / "people.yaml").read_text(encoding="utf-8").count("\n")}
    (out.parent / f"{out.name}.json").write_text(json.dumps(stats, indent=2) + "\n")
    return stats


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", choices=sorted(SIZES), required=True)
    p.add_argument("--out", required=True, metavar="DIR", help="data folder to (re)create")
    p.add_argument("--seed", type=int, default=20260727)
    p.add_argument("--today", metavar="YYYY-MM-DD", help="dates are written relative to this day (default: today)")
    args = p.parse_args(argv)
    today = dt.date.fromisoformat(args.today) if args.today else None
    stats = generate(args.size, Path(args.out), args.seed, today)
    print(json.dumps(stats), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
