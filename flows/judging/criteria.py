"""What a form is judged on: its scale and criteria, the form file's `[judging]` section with
the defaults filled in (every award question, its "In short" line, weight 1)."""

from __future__ import annotations

from dataclasses import dataclass

from flows.form import Form
from flows.judging_section import ScalePoint

IN_SHORT = "In short:"


@dataclass(frozen=True, slots=True)
class Criterion:
    """One thing a judge scores: named by its award question's id."""

    id: str
    number: str  # the question's number, e.g. "Q1"
    label: str  # the criterion in short, e.g. "What did they do to lead the change?"
    weight: float


@dataclass(frozen=True, slots=True)
class Judging:
    """A form's scale and criteria."""

    form_id: str
    scale: tuple[ScalePoint, ...]
    criteria: tuple[Criterion, ...]

    @property
    def lowest(self) -> int:
        return self.scale[0].value

    @property
    def highest(self) -> int:
        return self.scale[-1].value

    @property
    def values(self) -> frozenset[int]:
        return frozenset(p.value for p in self.scale)

    def point(self, value: int) -> ScalePoint | None:
        return next((p for p in self.scale if p.value == value), None)

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    @property
    def weights(self) -> dict[str, float]:
        return {c.id: c.weight for c in self.criteria}


def judging_of(form: Form) -> Judging | None:
    """The form's judging, or None for a form with no `[judging]` section (not judged)."""
    section = form.judging
    if section is None:
        return None
    entries = {e.question: e for e in section.criteria}
    questions = [f for f in form.fields if f.is_question]
    if entries:
        questions = [form.field(question) for question in entries]
    criteria = []
    for question in questions:
        entry = entries.get(question.id)
        label = entry.criterion if entry is not None and entry.criterion else None
        criteria.append(
            Criterion(
                id=question.id,
                number=question.number or question.id,
                label=label or _in_short(question.in_short) or question.label,
                weight=entry.weight if entry is not None else 1.0,
            )
        )
    return Judging(form.id, section.scale, tuple(criteria))


def _in_short(line: str | None) -> str | None:
    """ "In short: how do they know it worked?" as "How do they know it worked?"."""
    if line is None:
        return None
    text = line.removeprefix(IN_SHORT).strip()
    return text[:1].upper() + text[1:] if text else None
