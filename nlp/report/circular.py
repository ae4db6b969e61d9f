"""A round read as a 督察 circular: its common problems first, each with every unit's own wording and evidence,
then each unit's specific problems. The round page and the Excel 共性问题清单 are both written from it.

Example:
    >>> c = circular(summary.common_problems, items)
    >>> [(p.problem.title, len(p.units)) for p in c.common], [(u.unit, len(u.items)) for u in c.specific]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nlp.doc import ChecklistItem, CommonProblem


@dataclass(frozen=True)
class UnitItems:
    """One unit's rows under a heading of the circular (a common problem, or its specific problems)."""

    unit: str
    items: tuple[ChecklistItem, ...]

    @property
    def recurring(self) -> bool:
        return any(i.recurring is not None for i in self.items)


@dataclass(frozen=True)
class CircularProblem:
    """A common problem and its units' rows, in the order of ``problem.units`` (a unit without rows is left out)."""

    problem: CommonProblem
    units: tuple[UnitItems, ...]

    @property
    def recurring_units(self) -> int:
        """How many of its units already reported it in the earlier round."""
        return sum(u.recurring for u in self.units)


@dataclass(frozen=True)
class Circular:
    common: tuple[CircularProblem, ...]
    specific: tuple[UnitItems, ...]  # by unit name

    @property
    def recurring(self) -> int:
        """Rows that repeat the earlier round's problems."""
        rows = [i for p in self.common for u in p.units for i in u.items] + [i for u in self.specific for i in u.items]
        return sum(i.recurring is not None for i in rows)


def unit_of(item: ChecklistItem) -> str:
    """The unit a row is listed under: its unit, else its document's name."""
    return item.unit or item.document


def circular(common: Sequence[CommonProblem], items: Iterable[ChecklistItem]) -> Circular:
    """``common``: the round's common problems, in the order they are listed (most units first); ``items``: the
    round's checklist rows. A row belongs to the common problem its ``common_group`` names; any other row (a specific
    problem, or a group that is not common any more) is its unit's specific problem. A row listed twice is shown once.
    """
    ids = {c.id for c in common}
    members: dict[str, dict[str, list[ChecklistItem]]] = {c.id: {} for c in common}
    specific: dict[str, list[ChecklistItem]] = {}
    seen: set[tuple[object, ...]] = set()
    for item in items:
        key = (item.issue_id, item.unit, item.document, item.start, item.text)
        if key in seen:
            continue
        seen.add(key)
        if item.scope == "common" and item.common_group in ids:
            members[item.common_group].setdefault(unit_of(item), []).append(item)
        else:
            specific.setdefault(unit_of(item), []).append(item)
    out = []
    for c in common:
        rows = members[c.id]
        order = [u for u in c.units if u in rows] + sorted(u for u in rows if u not in c.units)
        out.append(CircularProblem(c, tuple(UnitItems(u, tuple(rows[u])) for u in order)))
    return Circular(tuple(out), tuple(UnitItems(u, tuple(v)) for u, v in sorted(specific.items())))
