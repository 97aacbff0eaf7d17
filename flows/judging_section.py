"""The form file's `[judging]` section as written: the scale, a label for each point, and per
award question a criterion and a weight; `flows.judging.criteria` fills in the defaults. A
sibling of `flows.form`, which reads it, not part of `flows.judging`, which reads the form."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScalePoint(_Model):
    """One point of the scale: the score a judge gives and the words on its button."""

    value: int = Field(ge=0, le=100)
    label: str = Field(min_length=1, max_length=40)


class CriterionEntry(_Model):
    """One award question as a criterion: its short wording (default: the question's "In
    short" line) and its weight in the total (default 1)."""

    question: str = Field(min_length=1)
    criterion: str | None = Field(default=None, min_length=1, max_length=120)
    weight: float = Field(default=1.0, gt=0, le=100)


class JudgingSection(_Model):
    """The `[judging]` table of a form file."""

    scale: tuple[ScalePoint, ...] = Field(min_length=2, max_length=10)
    criteria: tuple[CriterionEntry, ...] = Field(
        default=(),
        description="Award questions judged, in order; none listed: every award question.",
    )

    @model_validator(mode="after")
    def _check(self) -> JudgingSection:
        values = [p.value for p in self.scale]
        if values != sorted(set(values)):
            raise ValueError("the judging scale's values must rise, each once")
        asked = [c.question for c in self.criteria]
        if len(asked) != len(set(asked)):
            raise ValueError("a question is judged twice in [judging]")
        return self
