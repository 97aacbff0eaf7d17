"""How a nomination reads to the people who judge it: its headline, and its answers as sentences.

One home for the organisers' formatting, used by the organisers' email, the panel pack, the CSV
and JSON exports and the one-nomination view, so that all of them agree. Pure: no I/O.

The form file's labels are written for the nominator's review ("Nominee knows: No"); a panel
reading forty nominations wants sentences ("The nominee does not know about this nomination").
Those sentences and labels are the form's too (`reads_as`, `reads_yes`, `reads_no`), in each
kind of nominee's words (a team's); a field without them reads as "Label: answer".
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flows.engine import nominee_name, visible_fields, word_count
from flows.form import NO, NOT_GIVEN, YES, FieldKind, Form, FormField
from flows.state import NominationState
from flows.text import without_overrides

UNNAMED_NOMINEE = "(nominee not named)"
ORGANISATION = "nominee_organisation"
"""The field naming the nominee's organisation: headlines, the panel pack and the statistics."""

# Fields a judging panel does not need: how to reach the nominator, and organisers' own notes.
# The nominator's email is added from the form's roles.
ORGANISERS_ONLY = frozenset({"nominator_phone", "organiser_notes"})

# Choice fields whose option reads as "<option> nomination", e.g. "An individual nomination".
_KIND_OF_NOMINATION = frozenset({"nominee_type"})
_TEAM_TYPE = ("nominee_type", "team")


@dataclass(frozen=True, slots=True)
class Entry:
    """One answered (or skipped) field as a reader sees it.

    `label` is None when `text` is a whole sentence ("An individual nomination").
    """

    field_id: str
    label: str | None
    text: str | None
    number: str | None = None
    prompt: str | None = None
    words: int = 0
    max_words: int | None = None

    @property
    def is_question(self) -> bool:
        return self.number is not None

    @property
    def shown(self) -> str:
        """The answer as printed, NOT_GIVEN when there is none."""
        return self.text if self.text is not None else NOT_GIVEN

    @property
    def word_note(self) -> str:
        """E.g. '312 words, limit 500'."""
        noun = "word" if self.words == 1 else "words"
        limit = f", limit {self.max_words}" if self.max_words is not None else ""
        return f"{self.words} {noun}{limit}"


@dataclass(frozen=True, slots=True)
class SectionView:
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Reading:
    """A nomination as its readers see it."""

    reference: str
    nominee: str
    organisation: str | None
    headline: str
    nominator_name: str
    sections: tuple[SectionView, ...]

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for s in self.sections for e in s.entries)


def private_fields(form: Form) -> frozenset[str]:
    """The fields left out of the panel's copy (see ORGANISERS_ONLY)."""
    email = form.roles.nominator_email
    return ORGANISERS_ONLY | ({email} if email is not None else set())


def is_team(state: NominationState) -> bool:
    return state.answer(_TEAM_TYPE[0]) == _TEAM_TYPE[1]


def read(form: Form, state: NominationState, *, for_panel: bool = False) -> Reading:
    """The nomination as its readers see it; `for_panel` leaves out private_fields. Which
    fields it asks is worked out once, here, and handed to each part (a pack of thousands
    spent most of its reading repeating it)."""
    hidden = private_fields(form) if for_panel else frozenset()
    asked = frozenset(f.id for f in visible_fields(form, state))
    shown = asked - hidden
    sections = []
    chosen = state.answer(form.varies_by) if form.varies_by is not None else None
    for section in form.sections:
        worded = (form.as_asked(f.id, chosen) for f in section.fields if f.id in shown)
        entries = tuple(entry(f, state) for f in worded)
        if entries:
            sections.append(SectionView(title=section.title_for(chosen), entries=entries))
    nominee = nominee_of(form, state, asked)
    organisation = _answer(form, state, ORGANISATION, asked)
    return Reading(
        reference=state.reference,
        nominee=nominee,
        organisation=organisation,
        headline=headline(form, state, nominee, asked),
        nominator_name=without_overrides(state.answer(form.roles.nominator_name) or ""),
        sections=tuple(sections),
    )


def nominee_of(form: Form, state: NominationState, asked: Collection[str] | None = None) -> str:
    """The nominee (a person or a team) on one line, as every reading names them; `asked`, the
    fields the nomination asks, where the caller has them."""
    named = without_overrides(nominee_name(form, state, asked=asked) or "")
    return " ".join(named.split()) or UNNAMED_NOMINEE


def headline(
    form: Form, state: NominationState, nominee: str, asked: Collection[str] | None = None
) -> str:
    """E.g. 'Priya Shah, Senior Staff Nurse, Leeds Teaching Hospitals — nominated by Sam Lee'.

    For a team: 'Ward 7 Discharge Team, led by Priya Shah, Senior Staff Nurse, …' (the team's
    role answer names its lead).
    """
    if asked is None:
        asked = frozenset(f.id for f in visible_fields(form, state))
    parts = [nominee]
    role = _answer(form, state, "nominee_role", asked)
    if role:
        # For a team, the role answer names the team's lead and their job title.
        parts.append(f"led by {role}" if is_team(state) else role)
    parts += [p for p in (_answer(form, state, ORGANISATION, asked),) if p]
    nominator = _answer(form, state, form.roles.nominator_name, asked)
    byline = f" — nominated by {nominator}" if nominator else ""
    return ", ".join(parts) + byline


def entry(form_field: FormField, state: NominationState) -> Entry:
    """One field's answer as a reader sees it."""
    answer = state.answer(form_field.id)
    if form_field.is_question:
        return Entry(
            field_id=form_field.id,
            label=form_field.label,
            text=None if answer is None else without_overrides(answer),
            number=form_field.number,
            prompt=form_field.prompt,
            words=word_count(answer),
            max_words=form_field.max_words,
        )
    if answer is not None:
        statement = form_field.reads_yes if answer == YES else None
        statement = form_field.reads_no if answer == NO else statement
        if statement is None and form_field.id in _KIND_OF_NOMINATION:
            statement = f"{form_field.display(answer)} nomination"
        if statement is not None:
            return Entry(field_id=form_field.id, label=None, text=statement)
    return Entry(
        field_id=form_field.id,
        label=form_field.reads_as or form_field.label,
        text=None if answer is None else form_field.display(answer),
    )


def _answer(
    form: Form, state: NominationState, field_id: str, asked: Collection[str]
) -> str | None:
    """A short detail's answer on one line, if the form has the field and it is `asked`."""
    if not form.has_field(field_id) or field_id not in asked:
        return None
    form_field = form.field(field_id)
    answer = state.answer(field_id)
    if answer is None or form_field.kind is FieldKind.LONG_TEXT:
        return None
    return " ".join(form_field.display(answer).split()) or None
