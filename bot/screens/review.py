"""The review: every answer given, a Change button for each, what still stops the nomination (or
statement) being sent, and a very long answer shown by its opening with a button to read it all.
A form with more answers than a page of buttons holds shows the rest of its Change buttons on
later pages (bot.screens.paging). A sent nomination's View is the review's answers alone."""

from __future__ import annotations

from collections.abc import Sequence

from bot.screens import approval, paging, texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Paragraph, Screen, Span, Style
from bot.screens.question import question_title, review_button
from bot.screens.wording import Wording
from flows import engine
from flows.approval import is_surprise
from flows.effects import Outstanding
from flows.form import FormField
from flows.reading import is_team
from flows.state import NominationState

# On the review, a long answer over this many characters (more than a whole Telegram message;
# the 500-word limit is about 3,000) shows only its opening, with a button to read it in full:
# four answers at the size cap would otherwise send dozens of messages.
REVIEW_FULL_CHARS = 4000
REVIEW_OPENING_CHARS = 600


def opening(text: str, limit: int = REVIEW_OPENING_CHARS) -> str:
    """The start of a long text, cut at a word and marked as cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(maxsplit=1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip() + " …"


def answers(
    w: Wording, state: NominationState
) -> tuple[list[Paragraph], list[Button], list[Button]]:
    """Every visible answer, section by section, in this nomination's words ("Team lead and
    role" for a team); with a Change button for each, and a Show in full button for each very
    long answer."""
    visible = {f.id for f in engine.visible_fields(w.form, state)}
    paragraphs: list[Paragraph] = []
    edit_buttons: list[Button] = []
    full_buttons: list[Button] = []
    for section in w.form.sections:
        fields = [engine.as_asked(w.form, state, f.id) for f in section.fields if f.id in visible]
        if not fields:
            continue
        chosen = state.answer(w.form.varies_by) if w.form.varies_by else None  # a team's words
        paragraphs.append((Span(section.title_for(chosen).upper(), Style.BOLD),))
        details: list[Span] = []
        for f in fields:
            answer = state.answer(f.id)
            wording = texts.CHANGE_BUTTON if answer is not None else texts.ANSWER_BUTTON
            edit_buttons.append(
                Button(wording.format(label=f.number or f.label), Action.EDIT, f.id)
            )
            if not f.is_long:
                if details:
                    details.append(Span("\n"))
                details.append(Span(f"{f.label}: ", Style.BOLD))
                details.append(Span(_shown(f, answer)))
                continue
            if details:
                paragraphs.append(tuple(details))
                details = []
            paragraphs.extend(_long_answer(f, answer, full_buttons))
        if details:
            paragraphs.append(tuple(details))
    return paragraphs, edit_buttons, full_buttons


def review(
    w: Wording,
    state: NominationState,
    problems: Sequence[Outstanding],
    named: str | None = None,
    page: int = 1,
) -> Screen:
    """The review screen: the answers, then Submit, or what must be done first. Its Change and
    Show in full buttons go a page at a time; a later page repeats only the title."""
    title = w.voice.review_title.format(reference=state.reference, nominee=named)
    given, edits, full = answers(w, state)
    if problems and state.answer(problems[0].field_id) is None:
        # Its Go to button heads the screen: no second button for the same question.
        edits = [b for b in edits if b.arg != problems[0].field_id]
    rows: list[tuple[Button, ...]] = [(b,) for b in full]
    rows += [tuple(edits[i : i + 2]) for i in range(0, len(edits), 2)]
    shown = paging.page([paging.Item(rows=(row,)) for row in rows], page, per_page=paging.BUTTONS)
    paragraphs = [(Span(title, Style.BOLD),), *given]
    if shown.number > 1:
        more = texts.REVIEW_MORE_CHANGES.format(page=shown.number, pages=shown.count)
        paragraphs = [(Span(title, Style.BOLD),), (Span(more),)]
    elif problems:
        paragraphs.append((Span(w.voice.review_blocked, Style.BOLD),))
        # One list, a line a problem: a blank line after each made six of them a phone's screen.
        lines = "\n".join("• " + outstanding_text(w, problem) for problem in problems)
        paragraphs.append((Span(lines),))
    else:
        paragraphs.append((Span(w.voice.review_ready),))
        if w.nominee_approval and is_surprise(w.form, state):  # the surprise will end (issue 19)
            said = approval.surprise(is_team(state), telegram=w.telegram)
            paragraphs.append((Span(said, Style.BOLD),))
        if w.emails_saved_in is not None:
            paragraphs.append((Span(texts.TRIAL_REVIEW.format(folder=w.emails_saved_in)),))
    if problems:
        first = w.form.field(problems[0].field_id)
        label = first.number or first.label
        top = (Button(texts.FIX_BUTTON.format(label=label), Action.EDIT, first.id),)
    else:
        top = (Button(w.voice.submit, Action.SUBMIT),)
    nav = paging.navigation(Action.REVIEW_PAGE, shown)
    return Screen(tuple(paragraphs), (top, *shown.rows, *nav))


def _long_answer(f: FormField, answer: str | None, full_buttons: list[Button]) -> list[Paragraph]:
    """An award answer on the review: its question, the answer (only its opening if very long,
    with a button added to `full_buttons` to read it all) and its word count."""
    paragraphs: list[Paragraph] = [(Span(question_title(f), Style.BOLD),)]
    if answer is None:
        return [*paragraphs, (Span(_shown(f, answer), Style.ITALIC),)]
    label = f.number or f.label
    if len(answer) > REVIEW_FULL_CHARS:
        paragraphs.append((Span(opening(answer), Style.QUOTE),))
        paragraphs.append((Span(texts.REVIEW_SHORTENED.format(label=label), Style.ITALIC),))
        full_buttons.append(Button(texts.FULL_BUTTON.format(label=label), Action.FULL_ANSWER, f.id))
    else:
        paragraphs.append((Span(answer, Style.QUOTE),))
    return [*paragraphs, (Span(word_count(f, answer), Style.ITALIC),)]


def _shown(f: FormField, answer: str | None) -> str:
    """An answer on the review. A question that must be answered and is not says "Not answered
    yet", as the list of what stops Submit does: a review looked at half way is mostly these.
    An optional one left out is "Not given", as the email says."""
    if answer is None and f.required:
        return texts.REVIEW_NOT_ANSWERED
    return f.display(answer)


def word_count(f: FormField, answer: str) -> str:
    words = engine.word_count(answer)
    if f.max_words:
        return texts.REVIEW_WORDS_LIMIT.format(words=words, max_words=f.max_words)
    return texts.REVIEW_WORDS.format(words=words, word_s=texts.plural(words))


def full_answer(w: Wording, state: NominationState, field_id: str) -> Screen:
    """One answer in full, asked for from the review; then back to the review."""
    f = engine.as_asked(w.form, state, field_id)
    answer = state.answer(field_id)
    paragraphs: list[Paragraph] = [(Span(question_title(f), Style.BOLD),)]
    if answer is None:
        paragraphs.append((Span(_shown(f, answer), Style.ITALIC),))
    else:
        paragraphs.append((Span(answer, Style.QUOTE),))
        paragraphs.append((Span(word_count(f, answer), Style.ITALIC),))
    return Screen(tuple(paragraphs), review_button())


def outstanding_text(w: Wording, problem: Outstanding) -> str:
    f = w.form.field(problem.field_id)
    return texts.OUTSTANDING[problem.problem].format(
        label=f.number or f.label,
        over=problem.words_over,
        word_s=texts.plural(problem.words_over),
    )
