"""The form definition: pydantic models for a TOML form file, and loading it."""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from flows.judging_section import JudgingSection
from flows.text import without_overrides

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]

DEFAULT_FORM = "leading_for_service_improvement.toml"
SHORT_ANSWER_CHARS = 200
# Far above any word limit; it only stops a runaway paste from filling the database and the email.
LONG_ANSWER_CHARS = 30_000


class FieldKind(StrEnum):
    """What sort of answer a field takes; decides validation and how front ends ask."""

    SHORT_TEXT = "short_text"
    EMAIL = "email"
    CHOICE = "choice"
    YES_NO = "yes_no"
    LONG_TEXT = "long_text"


# How a yes_no field's answer is stored, and how it reads.
YES = "yes"
NO = "no"
YES_NO_LABELS = {YES: "Yes", NO: "No"}
NOT_GIVEN = "Not given"
"""How an unanswered field reads, on the review and in the organisers' email."""


def plural(count: int, word: str = "word") -> str:
    """ "1 word", "2 words": the one plural rule for every text the bot writes."""
    return word if count == 1 else f"{word}s"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(_Model):
    """One choice of a `choice` field: the value stored and the label shown."""

    value: Identifier
    label: str = Field(min_length=1, max_length=60)


class Wording(_Model):
    """A field's words for one kind of nominee (e.g. a team): each replaces the field's own."""

    label: str | None = Field(default=None, min_length=1)
    prompt: str | None = Field(default=None, min_length=1)
    help: str | None = Field(default=None, min_length=1)
    reads_as: str | None = Field(default=None, min_length=1)
    reads_yes: str | None = Field(default=None, min_length=1)
    reads_no: str | None = Field(default=None, min_length=1)


class FormField(_Model):
    """One step of the form."""

    id: Identifier
    kind: FieldKind
    label: str = Field(
        min_length=1, description="Short name used on the review screen and in emails."
    )
    prompt: str = Field(min_length=1, description="The question as asked.")
    number: str | None = Field(default=None, description="The award question's number, e.g. 'Q1'.")
    help: str | None = Field(
        default=None, description="A line under the prompt saying what to type."
    )
    in_short: str | None = Field(
        default=None, description="The question in plain English, shown beside the award's words."
    )
    hints_intro: str | None = None
    hints: tuple[str, ...] = ()
    required: bool = True
    options: tuple[Option, ...] = ()
    max_words: int | None = Field(default=None, gt=0)
    min_words: int | None = Field(
        default=None, gt=0, description="Fewest words in a long answer before it can be sent."
    )
    max_length: int | None = Field(
        default=None, gt=0, description="Most characters in an answer; a safety cap for long ones."
    )
    pattern: str | None = Field(
        default=None, description="A regular expression a short answer must match."
    )
    pattern_error: str | None = None
    is_name: bool = Field(
        default=False,
        description="A person's or team's name: an email address or phone number is refused.",
    )
    must_be_yes: bool = Field(
        default=False, description="A yes/no field that blocks submission unless yes."
    )
    show_if: dict[Identifier, str] = Field(
        default_factory=dict, description="Ask only when every named field has the given value."
    )
    reads_as: str | None = Field(
        default=None, description="The label organisers and judges read, if not `label`."
    )
    reads_yes: str | None = Field(
        default=None, description="A yes/no detail's yes as the sentence organisers read."
    )
    reads_no: str | None = Field(default=None, description="The same for no.")
    variants: dict[Identifier, Wording] = Field(
        default_factory=dict,
        description="Other words for some answers of the form's `varies_by` field (e.g. team).",
    )

    @model_validator(mode="after")
    def _check_kind(self) -> FormField:
        if self.kind is FieldKind.CHOICE and len(self.options) < 2:
            raise ValueError(f"choice field {self.id!r} needs at least two options")
        if self.kind is not FieldKind.CHOICE and self.options:
            raise ValueError(f"only choice fields have options ({self.id!r})")
        if self.hints and self.kind is not FieldKind.LONG_TEXT:
            raise ValueError(f"only long_text fields have hints ({self.id!r})")
        if (self.min_words is not None or self.in_short) and self.kind is not FieldKind.LONG_TEXT:
            raise ValueError(f"only long_text fields have min_words and in_short ({self.id!r})")
        if self.min_words and self.max_words and self.min_words > self.max_words:
            raise ValueError(f"min_words is over max_words ({self.id!r})")
        if self.is_name and self.kind is not FieldKind.SHORT_TEXT:
            raise ValueError(f"only short_text fields are names ({self.id!r})")
        if self.must_be_yes and self.kind is not FieldKind.YES_NO:
            raise ValueError(f"must_be_yes is for yes_no fields ({self.id!r})")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as error:
                # As a ValueError, pydantic reports it with the others, naming the field.
                raise ValueError(f"bad pattern for {self.id!r}: {error}") from error
        return self

    @property
    def char_limit(self) -> int:
        if self.max_length is not None:
            return self.max_length
        return LONG_ANSWER_CHARS if self.is_long else SHORT_ANSWER_CHARS

    @property
    def is_long(self) -> bool:
        return self.kind is FieldKind.LONG_TEXT

    @property
    def is_question(self) -> bool:
        """An award question (Q1–Q4), as opposed to a detail such as a name."""
        return self.number is not None

    def worded(self, wording: Wording | None) -> FormField:
        """This field with one kind of nominee's words in place of its own."""
        if wording is None:
            return self
        changes = {k: v for k, v in wording.model_dump().items() if v is not None}
        return self.model_copy(update=changes)

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def display(self, answer: str | None) -> str:
        """An answer as a person reads it: an option's label rather than its stored value,
        "Yes"/"No" for a yes/no field, and NOT_GIVEN when unanswered. Bidi overrides are
        removed, so the screens, the emails and the exports show it in the order it was typed."""
        if answer is None:
            return NOT_GIVEN
        answer = without_overrides(answer)
        if self.kind is FieldKind.CHOICE:
            option = self.option(answer)
            return option.label if option is not None else answer
        if self.kind is FieldKind.YES_NO:
            return YES_NO_LABELS.get(answer, answer)
        return answer


class Section(_Model):
    """A titled group of fields, e.g. 'About the nominee'."""

    id: Identifier
    title: str = Field(min_length=1)
    fields: tuple[FormField, ...] = Field(min_length=1)
    variants: dict[Identifier, str] = Field(
        default_factory=dict, description="The title for some answers of `varies_by` (a team)."
    )

    def title_for(self, chosen: str | None) -> str:
        """The title in the words for `chosen`, the answer to the form's `varies_by`."""
        return self.variants.get(chosen, self.title) if chosen is not None else self.title


class Roles(_Model):
    """Which fields name the nominee and the nominator, for email subjects and Reply-To."""

    nominee: tuple[Identifier, ...] = Field(
        min_length=1, description="The first of these that is asked and answered names the nominee."
    )
    nominator_name: Identifier
    # None for a form that asks no one's address: a colleague's supporting statement.
    nominator_email: Identifier | None = None


class Form(_Model):
    """A whole award nomination form."""

    id: Identifier
    version: int = Field(ge=1)
    reference_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}$")]
    organiser: str
    title: str
    introduction: tuple[str, ...] = Field(min_length=1)
    guidance: str
    next_steps: str = Field(description="What happens after submission, told to the nominator.")
    next_steps_open_ended: str | None = Field(
        default=None,
        description="next_steps for a round with no closing date (no 'after the closing date').",
    )
    sections: tuple[Section, ...] = Field(min_length=1)
    roles: Roles
    varies_by: Identifier | None = Field(
        default=None,
        description="The choice field whose answer picks a field's `variants` (individual/team).",
    )
    judging: JudgingSection | None = Field(
        default=None, description="The scale and criteria judges score on (issue 18)."
    )

    @model_validator(mode="after")
    def _check_fields(self) -> Form:
        ids = [f.id for f in self.fields]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate field ids: {sorted(dupes)}")
        known = set(ids)
        email = self.roles.nominator_email
        named = {*self.roles.nominee, self.roles.nominator_name, *([email] if email else [])}
        if named - known:
            raise ValueError(f"roles name unknown fields: {sorted(named - known)}")
        if email is not None and self.field(email).kind is not FieldKind.EMAIL:
            raise ValueError("roles.nominator_email must be an email field")
        self._check_variants(known)
        self._check_judging(known)
        for f in self.fields:
            for dep, value in f.show_if.items():
                if dep not in known:
                    raise ValueError(f"{f.id!r} depends on unknown field {dep!r}")
                target = self.field(dep)
                if ids.index(dep) >= ids.index(f.id):
                    raise ValueError(f"{f.id!r} must come after {dep!r}, which it depends on")
                allowed = {o.value for o in target.options} | (
                    {YES, NO} if target.kind is FieldKind.YES_NO else set()
                )
                if value not in allowed:
                    raise ValueError(f"{f.id!r}: {dep!r} can never be {value!r}")
        return self

    def _check_variants(self, known: set[str]) -> None:
        chooser = self.varies_by
        if chooser is None:
            if any(f.variants for f in self.fields):
                raise ValueError("fields have variants but the form has no varies_by")
            return
        if chooser not in known or self.field(chooser).kind is not FieldKind.CHOICE:
            raise ValueError(f"varies_by must name a choice field, not {chooser!r}")
        values = {o.value for o in self.field(chooser).options}
        for f in self.fields:
            if set(f.variants) - values:
                raise ValueError(f"{f.id!r} has variants for unknown options of {chooser!r}")

    def _check_judging(self, known: set[str]) -> None:
        judged = [c.question for c in self.judging.criteria] if self.judging else []
        for question in judged:
            if question not in known or not self.field(question).is_question:
                raise ValueError(f"[judging] names {question!r}, which is not an award question")
        if self.judging is not None and not judged and not any(f.is_question for f in self.fields):
            raise ValueError("[judging] needs award questions to judge")

    def as_asked(self, field_id: str, chosen: str | None) -> FormField:
        """A field in the words for `chosen`, the answer to `varies_by` (e.g. a team's wording)."""
        f = self.field(field_id)
        return f.worded(f.variants.get(chosen) if chosen is not None else None)

    @cached_property
    def fields(self) -> tuple[FormField, ...]:
        """Every field in order, across sections."""
        return tuple(f for s in self.sections for f in s.fields)

    @cached_property
    def _by_id(self) -> dict[str, FormField]:
        return {f.id: f for f in self.fields}

    def field(self, field_id: str) -> FormField:
        return self._by_id[field_id]

    def has_field(self, field_id: str) -> bool:
        return field_id in self._by_id

    def column_label(self, field_id: str) -> str:
        """A field's label for a column that holds every kind of nominee's answer: each kind's
        label once, "Nominee knows / Team knows"."""
        f = self.field(field_id)
        labels = [f.label, *(v.label for v in f.variants.values() if v.label)]
        return " / ".join(dict.fromkeys(labels))

    def next_steps_for(self, has_closing_date: bool) -> str:
        """What happens after submission, true of a round with or without a closing date."""
        if has_closing_date or self.next_steps_open_ended is None:
            return self.next_steps
        return self.next_steps_open_ended


def load_form(path: Path | None = None) -> Form:
    """Read and validate a form file; with no path, the shipped award form."""
    if path is None:
        data = resources.files("flows.forms").joinpath(DEFAULT_FORM).read_text(encoding="utf-8")
    else:
        data = Path(path).read_text(encoding="utf-8")
    return Form.model_validate(tomllib.loads(data))
