"""Screens for the limits on one nominator (issue 12, section 1): the email code step, and Submit
refused over the daily limit. Kept apart from bot/screens.py, which stays under its size limit;
it uses that module's screen types (imported as a module, since bot.screens dispatches here)."""

from __future__ import annotations

from datetime import datetime

from bot.screens import builder as screens
from bot.screens import texts
from bot.screens.actions import Action
from flows.effects import AskCode, CheckCode, EmailChecked, SendCode, SubmitRefused
from flows.round import uk_deadline

LimitEffect = SubmitRefused | AskCode | EmailChecked | SendCode | CheckCode


def screen(
    effect: LimitEffect, review_button: tuple[tuple[screens.Button, ...], ...]
) -> screens.Screen:
    match effect:
        case SubmitRefused(until=until):
            return submit_refused(until, review_button)
        case AskCode():
            return ask_code(effect)
        case EmailChecked(confirmed=confirmed):
            return screens.text_screen(texts.EMAIL_CONFIRMED if confirmed else texts.EMAIL_SKIPPED)
        case SendCode() | CheckCode():
            # The service carries these out; they reach a screen only if checking was turned
            # off while a code was awaited.
            return screens.Screen(((screens.Span(texts.CODE_NOT_CHECKED),),), code_rows()[2:])


def submit_refused(
    until: datetime, review_button: tuple[tuple[screens.Button, ...], ...]
) -> screens.Screen:
    """Over SUBMISSIONS_PER_USER_PER_DAY: when Submit works again, and the review button."""
    reason = texts.SUBMIT_REFUSED.format(until=uk_deadline(until))
    return screens.Screen(((screens.Span(reason, screens.Style.BOLD),),), review_button)


def ask_code(effect: AskCode) -> screens.Screen:
    """GOV.UK "check your email": what went wrong (if anything), where the code went, and what
    else the nominator can do."""
    bold = screens.Style.BOLD
    lines: list[screens.Paragraph] = []
    if effect.problem is not None:
        until = uk_deadline(effect.until) if effect.until is not None else ""
        reason = texts.CODE_PROBLEMS[effect.problem].format(
            left=effect.attempts_left,
            try_s="try" if effect.attempts_left == 1 else "tries",
            until=until,
        )
        lines.append((screens.Span(reason, bold),))
    elif effect.sent:
        lines.append((screens.Span(texts.CODE_SENT_TITLE, bold),))
    before, after = texts.CODE_SENT_TO.split("{address}")
    lines.append((screens.Span(before), screens.Span(effect.address, bold), screens.Span(after)))
    lines.append((screens.Span(texts.CODE_WHY),))
    return screens.Screen(tuple(lines), code_rows())


def code_rows() -> tuple[tuple[screens.Button, ...], ...]:
    return (
        (screens.Button(texts.BUTTON_RESEND_CODE, Action.RESEND_CODE),),
        (screens.Button(texts.BUTTON_CHANGE_EMAIL, Action.CHANGE_EMAIL),),
        (screens.Button(texts.BUTTON_SKIP_CODE, Action.SKIP_CODE),),
    )
