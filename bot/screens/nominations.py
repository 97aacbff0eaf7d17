"""Screens for a nominator's several nominations: /mynominations and a sent nomination's View.

Each listed nomination's buttons carry its own reference, so that a button acts on the nomination
it was shown for, whatever the nominator is working on by then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.screens import awards, confirm, paging, review, texts
from bot.screens.actions import BY_ACTION, Action
from bot.screens.parts import Button, Screen, Span, Style, text_screen
from bot.screens.wording import Wording
from flows import engine
from flows.form import Form
from flows.journey import asked_field
from flows.programme import Award
from flows.references import reference_code
from flows.state import Confirmation, NominationState, Status
from storage.types import NominationRecord


def day(at: datetime) -> str:
    """3 March 2026."""
    return f"{at.day} {at:%B %Y}"


def how_to_ask_support(*, telegram: bool) -> str:
    """How to ask a colleague for a supporting statement: /support on Telegram. A terminal
    can't (the link a colleague opens is a Telegram one), and says so."""
    if not telegram:
        return texts.SUPPORT_HINT_TERMINAL
    return texts.SUPPORT_HINT.format(command=BY_ACTION[Action.SUPPORT].command or "support")


_LINES = {
    Status.DRAFT: texts.MY_NOMINATION_DRAFT,
    Status.SUBMITTED: texts.MY_NOMINATION_SENT,
    Status.WITHDRAWN: texts.MY_NOMINATION_WITHDRAWN,
}


class NominationsList:
    """The list of a nominator's nominations and the read-only view of a sent one."""

    def __init__(self, wording: Wording, awards: Sequence[Award] = ()) -> None:
        self.wording = wording
        self.form = wording.form
        # With several awards (issue 19), each nomination reads by its own award's form and
        # says which award it is for.
        self.awards = {a.form.id: a for a in awards} if len(awards) > 1 else {}
        # How to ask a colleague for a statement: only Telegram can (the link opens there).
        self.support_hint = how_to_ask_support(telegram=wording.telegram)

    def status(self, record: NominationRecord) -> str:
        """ "Step 6 of 14" or "ready to review" for a draft; the date for a sent one."""
        state = record.state
        if not state.is_draft:  # sent, or withdrawn (its last change)
            return day((record.submitted_at if state.is_submitted else None) or record.updated_at)
        form = self._form(state)
        here = asked_field(form, state)
        if here is None:
            return texts.MY_NOMINATION_AT_REVIEW
        progress = engine.progress(form, state, here)
        return texts.STEP.format(step=progress.step, steps=progress.steps)

    def screen(self, records: Sequence[NominationRecord], page: int = 1) -> Screen:
        """Newest first, each with its nominee, status and reference, and its buttons; a page
        at a time."""
        paragraphs: list[tuple[Span, ...]] = [(Span(texts.MY_NOMINATIONS_TITLE, Style.BOLD),)]
        if not records:
            paragraphs.append((Span(texts.MY_NOMINATIONS_NONE),))
        shown = paging.page([self._item(n, r) for n, r in enumerate(records, 1)], page)
        paragraphs += [*shown.paragraphs, *paging.heading(shown)]
        if records:  # supporting statements are asked for, and links cancelled, from /support
            paragraphs.append((Span(self.support_hint),))
        another = (Button(texts.ANOTHER_BUTTON, Action.ANOTHER),)
        nav = paging.navigation(Action.LIST_PAGE, shown)
        return Screen(tuple(paragraphs), (*shown.rows, *nav, another))

    def _unnamed(self, state: NominationState) -> str:
        """'Team not named yet' for a team: the label of the field that would name it."""
        form = self._form(state)
        shown = {f.id for f in engine.visible_fields(form, state)}
        named_by = next((f for f in form.roles.nominee if f in shown), None)
        if named_by is None:
            return texts.NOMINEE_NOT_NAMED
        return texts.NOT_NAMED_YET.format(label=engine.as_asked(form, state, named_by).label)

    def _form(self, state: NominationState) -> Form:
        award = self.awards.get(state.form_id)
        return award.form if award is not None else self.form

    def _item(self, number: int, record: NominationRecord) -> paging.Item:
        """One nomination's line and its row of buttons."""
        state = record.state
        nominee = engine.nominee_name(self._form(state), state) or self._unnamed(state)
        line = _LINES[state.status]
        if state.is_draft and record.version is not None:
            line = texts.MY_NOMINATION_AMENDING  # a sent one being amended
        status = self.status(record)
        text = line.format(
            number=number, nominee=nominee, progress=status, date=status, reference=state.reference
        )
        buttons = self._buttons(number, record)
        award = self.awards.get(state.form_id)
        lines = ((Span(text),), *([awards.nominated_in(award.title)] if award else []))
        return paging.Item(lines, (buttons,) if buttons else ())

    def _buttons(self, number: int, record: NominationRecord) -> tuple[Button, ...]:
        state = record.state
        ref = reference_code(state.reference)
        if state.status is Status.WITHDRAWN:
            return ()
        if state.is_submitted:
            return (
                Button(texts.LIST_VIEW.format(number=number), Action.VIEW, ref=ref),
                Button(texts.LIST_AMEND.format(number=number), Action.AMEND, ref=ref),
                Button(texts.LIST_WITHDRAW.format(number=number), Action.WITHDRAW, ref=ref),
            )
        wording = texts.LIST_REVIEW if state.at_review else texts.LIST_CONTINUE
        opening = Button(wording.format(number=number), Action.OPEN, ref=ref)
        if record.version is None:
            return (opening,)
        cancel = Button(texts.LIST_CANCEL_AMEND.format(number=number), Action.CANCEL_AMEND, ref=ref)
        return (opening, cancel)

    def view(self, record: NominationRecord) -> Screen:
        """A sent nomination, every answer, with no buttons to change it: only one back to the
        list, which a terminal would otherwise have scrolled away with its numbers."""
        title = texts.VIEW_TITLE.format(
            reference=record.state.reference, date=day(record.submitted_at or record.updated_at)
        )
        answers, _, _ = review.answers(self.wording, record.state)
        paragraphs = ((Span(title, Style.BOLD),), *answers, (Span(self.support_hint),))
        return Screen(paragraphs, ((Button(texts.LIST_BUTTON, Action.LIST),),))

    def withdraw_question(self, reference: str, *, again: bool = False) -> Screen:
        """Withdraw this sent nomination? Its Yes and No carry its reference."""
        return confirm.withdraw(reference, again=again)


def closed(w: Wording, reference: str) -> Screen:
    """Amend or Withdraw after the closing date: refused, saying so."""
    sentence = w.round.closed_sentence() or ""
    return text_screen(texts.WITHDRAW_CLOSED.format(closed=sentence, reference=reference))


def changes_cancelled(reference: str) -> Screen:
    return text_screen(texts.AMEND_CANCELLED.format(reference=reference))


def withdrawn(reference: str) -> Screen:
    return text_screen(texts.WITHDRAWN_DONE.format(reference=reference))


def already_withdrawn(reference: str) -> Screen:
    return text_screen(texts.ALREADY_WITHDRAWN.format(reference=reference))


def not_withdrawn() -> Screen:
    return text_screen(texts.KEPT[Confirmation.WITHDRAW])
