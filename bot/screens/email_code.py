"""The limits on one nominator as screens: the email-code step (GOV.UK "check your email") and
Submit refused over the daily limit."""

from __future__ import annotations

from datetime import datetime

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Paragraph, Rows, Screen, Span, Style, text_screen
from bot.screens.question import review_button
from flows.effects import AskCode, CheckCode, EmailChecked, SendCode, SubmitRefused
from flows.round import uk_deadline

LimitEffect = SubmitRefused | AskCode | EmailChecked | SendCode | CheckCode


def screen(effect: LimitEffect) -> Screen:
    match effect:
        case SubmitRefused(until=until):
            return submit_refused(until)
        case AskCode():
            return ask_code(effect)
        case EmailChecked(confirmed=confirmed):
            return text_screen(texts.EMAIL_CONFIRMED if confirmed else texts.EMAIL_SKIPPED)
        case SendCode() | CheckCode():
            # The service carries these out; they reach a screen only if checking was turned
            # off while a code was awaited.
            return Screen(((Span(texts.CODE_NOT_CHECKED),),), code_rows()[2:])


def submit_refused(until: datetime) -> Screen:
    """Over SUBMISSIONS_PER_USER_PER_DAY: when Submit works again, and the review button."""
    reason = texts.SUBMIT_REFUSED.format(until=uk_deadline(until))
    return Screen(((Span(reason, Style.BOLD),),), review_button())


def ask_code(effect: AskCode) -> Screen:
    """What went wrong (if anything), where the code went, and what else the nominator can do."""
    lines: list[Paragraph] = []
    if effect.problem is not None:
        until = uk_deadline(effect.until) if effect.until is not None else ""
        reason = texts.CODE_PROBLEMS[effect.problem].format(
            left=effect.attempts_left,
            try_s="try" if effect.attempts_left == 1 else "tries",
            until=until,
        )
        lines.append((Span(reason, Style.BOLD),))
    elif effect.sent:
        lines.append((Span(texts.CODE_SENT_TITLE, Style.BOLD),))
    before, after = texts.CODE_SENT_TO.split("{address}")
    lines.append((Span(before), Span(effect.address, Style.BOLD), Span(after)))
    lines.append((Span(texts.CODE_WHY),))
    return Screen(tuple(lines), code_rows())


def code_rows() -> Rows:
    return (
        (Button(texts.BUTTON_RESEND_CODE, Action.RESEND_CODE),),
        (Button(texts.BUTTON_CHANGE_EMAIL, Action.CHANGE_EMAIL),),
        (Button(texts.BUTTON_SKIP_CODE, Action.SKIP_CODE),),
    )
