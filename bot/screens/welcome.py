"""Coming and going: the welcome (the award's whole introduction, then where a draft stands), how
far a nominator has got, the round's news, and what is said once a nomination is sent, paused,
deleted or gone."""

from __future__ import annotations

from bot.screens import approval, review, texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Paragraph, Screen, Span, Style, text_screen
from bot.screens.question import progress_text
from bot.screens.wording import Wording
from flows import engine
from flows.journey import asked_field, nominator_email, nominee_name
from flows.reading import is_team
from flows.round import News, Phase, Round, RoundNotice
from flows.state import NominationState


def welcome(w: Wording, state: NominationState | None) -> Screen:
    """The award's whole introduction, word for word, then how this works or where the
    nominator's draft stands."""
    intro: list[Paragraph] = [
        (Span(w.form.title, Style.BOLD),),
        (Span(w.form.organiser, Style.ITALIC),),
        *((Span(paragraph),) for paragraph in w.form.introduction),
    ]
    if state is None or state.is_submitted:
        questions = sum(1 for f in w.form.fields if f.is_question)
        intro.append((Span(texts.WELCOME_NEW.format(questions=questions)),))
        return Screen(tuple(intro), ((Button(texts.START_BUTTON, Action.START),),))
    here = where(w, state)
    nominee = engine.nominee_name(w.form, state)
    back = texts.WELCOME_BACK_FOR if nominee else texts.WELCOME_BACK
    intro.append((Span(back.format(reference=state.reference, nominee=nominee, progress=here)),))
    attention = [p for p in engine.outstanding(w.form, state) if p.problem in texts.ATTENTION]
    if attention:
        intro.append((Span(texts.WELCOME_ATTENTION, Style.BOLD),))
        # One list, a line each, as the review's (bot/screens/review.py).
        intro.append((Span("\n".join("• " + review.outstanding_text(w, p) for p in attention)),))
    button = Button(texts.CONTINUE_BUTTON.format(progress=here), Action.START)
    return Screen(tuple(intro), ((button,), (Button(texts.LIST_BUTTON, Action.LIST),)))


def where(w: Wording, state: NominationState) -> str:
    """ "Step 6 of 14" for a draft's position, or the review."""
    form_field = asked_field(w.form, state)
    if form_field is None:
        return texts.AT_REVIEW
    return progress_text(engine.progress(w.form, state, form_field))


def status(w: Wording, state: NominationState | None) -> Screen:
    """How far the nominator has got with their draft, or that they have none."""
    if state is None:
        return no_draft(w)
    fields = engine.visible_fields(w.form, state)
    answered = sum(1 for f in fields if state.answer(f.id) is not None)
    return text_screen(
        texts.STATUS_DRAFT.format(
            reference=state.reference,
            progress=where(w, state),
            answered=answered,
            total=len(fields),
        )
    )


def no_draft(w: Wording) -> Screen:
    """No draft to act on: one line, and the welcome's Start button, so that the terminal's
    "1", or a tap in Telegram, begins one as it does at the welcome."""
    text = texts.NO_DRAFT_TO.format(start=capitalised(w.start))
    return Screen(((Span(text),),), ((Button(texts.START_BUTTON, Action.START),),))


def gone(w: Wording, *, sent: bool) -> Screen:
    """A button of a nomination that was sent, or that was deleted (or never was): say which, so
    nobody thinks a deleted one went."""
    gone_text = texts.STALE_SUBMITTED_TO if sent else texts.STALE_GONE_TO
    return text_screen(gone_text.format(start=capitalised(w.start)))


def capitalised(words: str) -> str:
    """The words as a sentence begins them: "send /start" -> "Send /start"."""
    return words[:1].upper() + words[1:]


def submitted(
    w: Wording, state: NominationState, reference: str, *, copy_sent: bool = True
) -> Screen:
    email = nominator_email(w.form, state) or ""
    copy = texts.SUBMITTED_COPY if copy_sent else texts.SUBMITTED_NO_COPY
    copy = copy.format(email=email)
    if w.emails_saved_in is not None:  # nothing left the machine: say where the emails are
        trial = texts.TRIAL_SUBMITTED if copy_sent else texts.TRIAL_SUBMITTED_NO_COPY
        copy = trial.format(folder=w.emails_saved_in)
    before, after = texts.SUBMITTED_REFERENCE.split("{reference}")
    # Telegram gives the nominee's approval link after this screen; the terminal has none.
    unasked = w.nominee_approval and not w.telegram
    nominee = nominee_name(w.form, state) or ""
    return Screen(
        (
            (Span(texts.SUBMITTED, Style.BOLD),),
            (Span(before), Span(reference, Style.BOLD), Span(after)),
            (Span(copy),),
            *(((Span(approval.no_link(nominee, is_team(state))),),) if unasked else ()),
            (Span(w.form.next_steps_for(w.round.closes_at is not None)),),
            (Span(texts.SUBMITTED_AGAIN_TO.format(start=w.start)),),
        )
    )


def paused(w: Wording) -> Screen:
    return text_screen(texts.PAUSED_TO.format(start=w.start))


def deleted(w: Wording) -> Screen:
    return text_screen(texts.DELETED_TO.format(start=w.start))


def notice_text(round_dates: Round, notice: RoundNotice) -> str | None:
    """The round's news in words: not open yet, closed, or (while open) when it closes and, near
    the end, how long is left. None when there is nothing to say."""
    match notice.news:
        case News.CLOSES:
            return round_dates.closing_sentence()
        case News.CLOSED:
            return round_dates.closed_sentence()
    match round_dates.phase(notice.at):
        case Phase.BEFORE:
            return texts.ROUND_NOT_OPEN.format(opening=round_dates.opening_sentence() or "")
        case Phase.CLOSED:
            return texts.ROUND_CLOSED.format(closed=round_dates.closed_sentence() or "")
    said = [round_dates.closing_sentence(), round_dates.countdown_sentence(notice.at)]
    return " ".join(s for s in said if s) or None


def notice(w: Wording, news: RoundNotice | None) -> Screen | None:
    text = notice_text(w.round, news) if news is not None else None
    return text_screen(text) if text else None
