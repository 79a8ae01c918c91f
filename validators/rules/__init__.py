"""The consistency rules, listed explicitly. Each module holds the rules of one area."""

from __future__ import annotations

from .base import Problem, Rule, rule

# Filled in by the area modules below; the order here is the order of the data reference page.
RULES: list[Rule] = []

REGISTRY: dict[str, Rule] = {r.code: r for r in RULES}

__all__ = ["Problem", "Rule", "rule", "RULES", "REGISTRY"]
