"""The rule contract: a stable code, a level, a docstring with PASS/FAIL examples, a check()."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..findings import Finding, Level

if TYPE_CHECKING:
    from ..handbook import Handbook


@dataclass(frozen=True)
class Problem:
    """What a check found: the object (for its position), the field inside it, and the words."""

    obj: object
    message: str
    hint: str = ""
    at: tuple = ()


@dataclass(frozen=True)
class Rule:
    code: str
    level: Level
    area: str
    check: Callable[[Handbook], Iterable[Problem]]

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""

    def run(self, hb: Handbook) -> list[Finding]:
        return [hb.finding(p.obj, self.code, self.level, p.message, p.hint, p.at) for p in self.check(hb)]


def rule(code: str, level: Level, area: str) -> Callable[[Callable], Rule]:
    def wrap(fn: Callable[[Handbook], Iterable[Problem]]) -> Rule:
        return Rule(code, level, area, fn)

    return wrap
