"""A yes/no question that waits for its answer: clear an answer, delete a draft, save text typed at
the review, withdraw a sent nomination. One builder for all of them, so every such question
reads alike and its two buttons are worded from one table (texts.CONFIRM_YES and CONFIRM_NO)."""

from __future__ import annotations

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Paragraph, Screen, Span, Style
from bot.screens.wording import Wording
from flows import engine
from flows.effects import AskConfirm
from flows.references import reference_code
from flows.state import Confirmation, NominationState


def question(
    about: Confirmation,
    text: str,
    *,
    again: bool = False,
    quoted: str | None = None,
    yes: Action = Action.CONFIRM,
    no: Action = Action.DECLINE,
    ref: str | None = None,
) -> Screen:
    """The question `text`, asked `again` if the last reply was neither yes nor no; `quoted` is
    what it is about (text typed at the review); `ref` names the nomination its buttons act on,
    where the screen is not about one."""
    paragraphs: list[Paragraph] = []
    if again:
        paragraphs.append((Span(texts.CONFIRM_AGAIN, Style.BOLD),))
    paragraphs.append((Span(text),))
    if quoted is not None:
        paragraphs.append((Span(quoted, Style.QUOTE),))
    buttons = (
        Button(texts.CONFIRM_YES[about], yes, ref=ref),
        Button(texts.CONFIRM_NO[about], no, ref=ref),
    )
    return Screen(tuple(paragraphs), (buttons,))


def confirm(w: Wording, state: NominationState, effect: AskConfirm) -> Screen:
    """The engine's pending question about a draft (clear, delete, save typed text)."""
    label = ""
    if effect.field_id is not None and w.form.has_field(effect.field_id):
        f = engine.as_asked(w.form, state, effect.field_id)
        label = f.number or f.label
    nominee = engine.nominee_name(w.form, state)
    named = texts.RETENTION_FOR_NOMINEE.format(nominee=nominee) if nominee else ""
    text = texts.CONFIRM[effect.about].format(
        words=effect.words, label=label, reference=state.reference, for_nominee=named
    )
    typed = state.pending.text if state.pending is not None else None
    quoted = typed if effect.about is Confirmation.SAVE_TYPED else None
    return question(effect.about, text, again=effect.again, quoted=quoted)


def withdraw(reference: str, *, again: bool = False) -> Screen:
    """Withdraw this sent nomination? Its Yes and No carry its reference."""
    about = Confirmation.WITHDRAW
    return question(
        about,
        texts.CONFIRM[about].format(reference=reference),
        again=again,
        yes=Action.WITHDRAW_YES,
        no=Action.WITHDRAW_NO,
        ref=reference_code(reference),
    )
