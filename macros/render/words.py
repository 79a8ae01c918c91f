"""Counts, plurals and lists in sentences: the one place copy turns numbers and lists into words.

Every count a reader sees ("4 levels", "One drill", "no partners") goes through ``count`` or
``count_words``, and every plural through ``plural``, so a template never writes "1 levels".
Irregular plurals come from the organization's terms (``terms.plurals`` in organization.yaml),
then from the short table below.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from preparedness_handbook.macros.render.html import Html, e, h, join

NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
# Plurals English spelling rules get wrong; an organization adds its own in terms.plurals.
IRREGULAR = {"person": "people", "child": "children", "staff": "staff", "crisis": "crises", "analysis": "analyses"}


def _last_word_plural(word: str) -> str:
    lower = word.lower()
    if lower in IRREGULAR:
        out = IRREGULAR[lower]
        return out[:1].upper() + out[1:] if word[:1].isupper() else out
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def plural(n: int, one: str, other: str | None = None, plurals: Mapping[str, str] | None = None) -> str:
    """``one`` when ``n`` is 1, else its plural: ``other`` if given, else the organization's
    (``plurals``), else English spelling on the last word ("call tree" → "call trees")."""
    if n == 1:
        return one
    if other:
        return other
    if plurals and one in plurals:
        return plurals[one]
    head, sep, last = one.rpartition(" ")
    return head + sep + _last_word_plural(last)


def count(n: int, one: str, other: str | None = None, plurals: Mapping[str, str] | None = None) -> str:
    """'4 levels', '1 level', '0 levels'."""
    return f"{n} {plural(n, one, other, plurals)}"


def count_words(n: int, one: str, other: str | None = None, plurals: Mapping[str, str] | None = None) -> str:
    """'four levels', 'one level', '12 levels' (numbers up to ten as words, as in prose)."""
    word = NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)
    return f"{word} {plural(n, one, other, plurals)}"


def capfirst(text: str) -> str:
    """The first letter as a capital, the rest as written: 'incident manager' → 'Incident manager'."""
    return text[:1].upper() + text[1:] if text else text


def _listed(items: Iterable[Html | str], word: str, empty: Html | str) -> Html:
    items = [i for i in items if i]
    if not items:
        return e(empty)
    if len(items) == 1:
        return e(items[0])
    return h("{} {} {}", join(items[:-1], ", "), word, items[-1])


def and_list(items: Iterable[Html | str], empty: Html | str = "") -> Html:
    """'a', 'a and b', 'a, b and c' (items escaped unless ``Html``)."""
    return _listed(items, "and", empty)


def or_list(items: Iterable[Html | str], empty: Html | str = "") -> Html:
    """'a', 'a or b', 'a, b or c' (items escaped unless ``Html``)."""
    return _listed(items, "or", empty)
