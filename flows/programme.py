"""An awards programme: several awards served by one bot, each with its own form, dates and
organisers (issue 19). Pure: `ProgrammeFile` is the TOML file's shape, kept exactly as other tools
write it; `Programme` is the same with each award's form loaded and its defaults filled in, which
bot/programme.py does from the settings.

An award's id is the programme's name for it; a nomination stores its form's id. Each award has a
form of its own (no two awards share a form id or a reference prefix), so the one names the other:
`Programme.award_for(state.form_id)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)

from flows.form import Form
from flows.judging.phase import JudgingDates
from flows.references import reference_prefix
from flows.round import Round
from flows.state import NominationState

AwardId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]


class AwardEntry(BaseModel):
    """One [[award]] of the programme file, as written."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: AwardId
    # A path, relative to the programme file or absolute.
    form: str = Field(min_length=1)
    description: str = Field(min_length=1, max_length=200)
    organiser_emails: tuple[EmailStr, ...] | None = None
    open_at: AwareDatetime | None = None
    close_at: AwareDatetime | None = None
    organiser_telegram_ids: tuple[int, ...] = ()
    nominee_approval: bool | None = None  # None: NOMINEE_APPROVAL
    judging_open_at: AwareDatetime | None = None  # None: JUDGING_OPEN_AT
    judging_close_at: AwareDatetime | None = None  # None: JUDGING_CLOSE_AT


class ProgrammeFile(BaseModel):
    """The programme file: its title and its awards, in the order they are offered."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=1, max_length=120)
    award: tuple[AwardEntry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_unique(self) -> ProgrammeFile:
        ids = [a.id for a in self.award]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"award {twice[0]!r}: id: two awards have it")
        return self


@dataclass(frozen=True, slots=True)
class Award:
    """One award of the programme, with its form loaded and every default filled in."""

    id: str
    form: Form
    description: str
    organiser_emails: tuple[str, ...]
    round: Round
    organiser_telegram_ids: tuple[int, ...] = ()
    # Read now so that the nominee's approval (issue 19, second half) can be wired to it.
    nominee_approval: bool = False
    # When its panel judges (issue 18), for an award whose form has a [judging] section.
    judging_dates: JudgingDates = field(default_factory=JudgingDates)

    @property
    def title(self) -> str:
        return self.form.title


class ProgrammeError(ValueError):
    """Two awards that cannot both be served: the award and the key are named."""

    def __init__(self, award: str, key: str, message: str) -> None:
        super().__init__(message)
        self.award = award
        self.key = key


@dataclass(frozen=True, slots=True)
class Programme:
    """The awards one bot serves. With no programme file, one award: the form being served."""

    title: str
    awards: tuple[Award, ...]

    def __post_init__(self) -> None:
        if not self.awards:
            raise ValueError("a programme needs at least one award")
        forms: dict[str, str] = {}
        prefixes: dict[str, str] = {}
        for award in self.awards:
            form = award.form
            if form.id in forms:
                raise ProgrammeError(
                    award.id, "form", f"award {forms[form.id]!r} has the same form ({form.id!r})"
                )
            if form.reference_prefix in prefixes:
                other = prefixes[form.reference_prefix]
                raise ProgrammeError(
                    award.id,
                    "form",
                    f"award {other!r} has the same reference_prefix ({form.reference_prefix!r})",
                )
            forms[form.id] = prefixes[form.reference_prefix] = award.id

    @classmethod
    def single(cls, award: Award) -> Programme:
        """A programme of one award, titled by its form: the bot as it was before programmes."""
        return cls(award.form.title, (award,))

    def __iter__(self) -> Iterator[Award]:
        return iter(self.awards)

    def __len__(self) -> int:
        return len(self.awards)

    @property
    def first(self) -> Award:
        return self.awards[0]

    @property
    def forms(self) -> tuple[Form, ...]:
        return tuple(a.form for a in self.awards)

    def award(self, award_id: str) -> Award | None:
        """The award with this id, or None."""
        return next((a for a in self.awards if a.id == award_id), None)

    def award_for(self, form_id: str) -> Award | None:
        """The award whose form has this id (a nomination's `form_id`), or None."""
        return next((a for a in self.awards if a.form.id == form_id), None)

    def award_by_reference(self, reference: str) -> Award | None:
        """The award a nomination belongs to, by its reference's prefix (LSI-7KQ2MX: LSI's)."""
        prefix = reference_prefix(reference)
        return next((a for a in self.awards if a.form.reference_prefix == prefix), None)

    def form_for(self, form_id: str) -> Form | None:
        award = self.award_for(form_id)
        return award.form if award is not None else None

    def needs_approval(self, form_id: str) -> bool:
        """Whether the award of nominations on this form asks its nominees to approve them."""
        return (self.award_for(form_id) or self.first).nominee_approval

    def organisers_of(self, form: Form) -> tuple[str, ...]:
        """Who receives the emails of a nomination on this form: its award's organisers."""
        return (self.award_for(form.id) or self.first).organiser_emails

    def open_at(self, now: datetime) -> tuple[Award, ...]:
        """The awards taking nominations at `now`, in the programme's order."""
        return tuple(a for a in self.awards if a.round.is_open(now))


def own_form(programme: Programme | None, default: Form, state: NominationState) -> Form:
    """The form a nomination follows: its award's in `programme` (`default` without one, or for a
    form the programme no longer serves)."""
    found = programme.form_for(state.form_id) if programme is not None else None
    return found or default
