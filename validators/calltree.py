"""The call tree derived from reporting lines: who calls whom when chat and e-mail are down.

The incident manager's primary is the root. Everyone else is called by their manager
(``reports_to``) unless an override names another caller; whoever has no manager (the top of
the organization) is called by the root. A person's alternate caller is the one named in
``alternates``, else their caller's own caller (skip-level), else the root role's first backup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .handbook import Handbook

# The most hand-offs any call tree may have, whatever organization.call_tree.max_depth says
# (HB506). A phone tree deeper than this reaches its last person hours late, and the views that
# draw it nest one list per hand-off: a 450-deep chain of reports_to ran them out of stack.
DEPTH_CEILING = 20


@dataclass
class CallTree:
    root: str | None
    caller: dict[str, str | None] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    alternate: dict[str, str | None] = field(default_factory=dict)
    depth: dict[str, int] = field(default_factory=dict)
    unreached: list[str] = field(default_factory=list)
    cycles: list[list[str]] = field(default_factory=list)

    def subtree(self, person: str) -> list[str]:
        """The person and everyone called after them, in calling order."""
        out, stack = [], [person]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(self.children.get(current, [])))
        return out

    def path_to(self, person: str) -> list[str]:
        """Callers from the root down to the person (inclusive)."""
        path, seen = [person], {person}
        while (up := self.caller.get(path[-1])) is not None and up not in seen:
            path.append(up)
            seen.add(up)
        return list(reversed(path))

    def branch_of(self, person: str) -> str | None:
        """The root's direct call (the branch head) whose branch holds this person."""
        path = self.path_to(person)
        if not path or path[0] != self.root:
            return None
        return path[1] if len(path) > 1 else None

    @property
    def branches(self) -> list[str]:
        return list(self.children.get(self.root, [])) if self.root else []


def build_call_tree(hb: Handbook) -> CallTree:
    if hb.call_tree is None:
        return CallTree(root=None)  # the plan has none (communications.yaml without_call_tree)
    im = hb.incident_manager
    root_role = hb.index["roles"].get(hb.call_tree.root) if hb.call_tree else None
    root_role = root_role or im
    root = root_role.first if root_role else None
    tree = CallTree(root=root)
    overrides = {o.person: o.called_by for o in hb.call_tree.overrides}
    people = [p.id for p in hb.people]
    for p in hb.people:
        if p.id == root:
            tree.caller[p.id] = None
            continue
        if p.id in overrides:
            caller = overrides[p.id]
        elif hb.call_tree.follow_reporting_lines and p.reports_to:
            caller = p.reports_to
        else:
            caller = root
        tree.caller[p.id] = caller
    order = {pid: i for i, pid in enumerate(people)}
    for pid, caller in tree.caller.items():
        if caller is not None:
            tree.children.setdefault(caller, []).append(pid)
    for kids in tree.children.values():
        kids.sort(key=lambda k: order.get(k, 0))

    if root is not None:
        tree.depth[root] = 0
        stack = [root]
        while stack:
            current = stack.pop()
            for child in tree.children.get(current, []):
                if child not in tree.depth:
                    tree.depth[child] = tree.depth[current] + 1
                    stack.append(child)
    tree.unreached = [pid for pid in people if pid not in tree.depth]
    seen_cycle: set[str] = set()
    for pid in tree.unreached:
        path, pos = [], {}
        current: str | None = pid
        while current is not None and current not in pos and current not in seen_cycle:
            pos[current] = len(path)
            path.append(current)
            current = tree.caller.get(current)
        if current is not None and current in pos:
            cycle = path[pos[current]:]
            tree.cycles.append(cycle)
            seen_cycle.update(cycle)

    explicit = {a.person: a.alternate for a in hb.call_tree.alternates}
    backups = list(root_role.backups) if root_role else []
    for pid, caller in tree.caller.items():
        if caller is None:
            continue
        if pid in explicit:
            tree.alternate[pid] = explicit[pid]
            continue
        skip = tree.caller.get(caller)
        if skip is not None and skip != pid:
            tree.alternate[pid] = skip
        else:
            tree.alternate[pid] = next((b for b in backups if b not in (pid, caller)), None)
    return tree
