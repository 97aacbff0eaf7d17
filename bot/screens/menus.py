"""Each front end's words for the actions, derived from the one table (bot/screens/actions.py):
the terminal's typed words, Telegram's commands and command menu, the help, and how to begin
again."""

from __future__ import annotations

from bot.screens.actions import ACTIONS, BY_ACTION, Action, ActionSpec, FrontEnd, Kind


def _for(spec: ActionSpec, *, judging: bool) -> bool:
    """Whether the action is a judge's (issue 18) or a nominator's, as asked: each has its own
    words, commands and help."""
    return (spec.kind is Kind.JUDGING) is judging


def typed_words(*, judging: bool = False) -> dict[str, Action]:
    """Every word a nominator (or a judge) may type for an action at the terminal: its word,
    other spellings, and its button's label, since messages say "choose Show examples"."""
    words: dict[str, Action] = {}
    for spec in ACTIONS:
        if spec.word is None or FrontEnd.TERMINAL not in spec.offered_in:
            continue  # e.g. Yes and No, which a typed answer gives the engine to read
        if not _for(spec, judging=judging):
            continue
        labels = (spec.label.casefold(),) if spec.label is not None else ()
        for word in (spec.word, *spec.also_typed, *labels):
            words.setdefault(word, spec.action)
    return words


def commands(*, judging: bool = False) -> tuple[tuple[str, str], ...]:
    """Telegram's command menu: (command, description) for every nominator's action with a
    command; or for every judge's, which a judge's chat adds to it."""
    return tuple(
        (spec.command, spec.help[0].upper() + spec.help[1:])
        for spec in ACTIONS
        if spec.command is not None and spec.help is not None and _for(spec, judging=judging)
    )


# Actions of the emailed code, which apply only where nominators' addresses are checked (SMTP).
EMAIL_CODE_ACTIONS = frozenset({Action.RESEND_CODE, Action.CHANGE_EMAIL, Action.SKIP_CODE})


def help_lines(*, telegram: bool, email_codes: bool = True, judging: bool = False) -> list[str]:
    """One line per command: "/back – go back one question", or "back – …" at a terminal; the
    emailed code's only where addresses are checked; a judge's, or a nominator's."""
    front_end = FrontEnd.TELEGRAM if telegram else FrontEnd.TERMINAL
    lines = []
    for spec in ACTIONS:
        name = spec.command if telegram else spec.word
        if name is None or spec.help is None or front_end not in spec.offered_in:
            continue
        if not _for(spec, judging=judging):
            continue
        if not email_codes and spec.action in EMAIL_CODE_ACTIONS:
            continue
        prefix = "/" if telegram else ""
        lines.append(f"{prefix}{name} – {spec.help}")
    return lines


def how_to(action: Action, front_end: FrontEnd) -> str:
    """How to do `action` in this front end's words: "send /start" in Telegram, "type start" at
    the terminal; a button with no command or word is chosen by its label."""
    spec = BY_ACTION[action]
    if front_end is FrontEnd.TELEGRAM and spec.command is not None:
        return f"send /{spec.command}"
    if front_end is FrontEnd.TERMINAL and spec.word is not None:
        return f"type {spec.word}"
    return f"choose {spec.label}"


def how_to_start(*, telegram: bool) -> str:
    """How to begin again, in each front end's words: "send /start" or "type start"."""
    return how_to(Action.START, FrontEnd.TELEGRAM if telegram else FrontEnd.TERMINAL)


# Telegram-only phrases in the shared texts, and what the terminal says instead ("" drops them).
_TERMINAL_PHRASES = (
    ("edit what you sent, or choose Start again", "choose Start again, then send a shorter one"),
    (" In Telegram, send /privacy to see what we keep and for how long.", ""),
    # A terminal has lines typed, not messages sent.
    ("You can send it in several parts", "You can type it in several parts"),
    ("Send your new answer.", "Type your new answer."),
    ("Send more, or", "Type more, or"),
    ("Type your answer and send it.", "Type your answer and press Enter."),
    ("That message was empty", "That line was empty"),
    ("Your message was not saved", "What you typed was not saved"),
)


def in_terminal_words(text: str) -> str:
    """A sentence written with Telegram's button names, in the terminal's words: "choose Keep"
    becomes "type keep", for every action the terminal offers by a typed word."""
    for telegram, terminal in _TERMINAL_PHRASES:
        text = text.replace(telegram, terminal)
    if "hoose " not in text and "end /" not in text:
        return text
    for spec in ACTIONS:
        if spec.word is None or FrontEnd.TERMINAL not in spec.offered_in:
            continue
        if spec.command is not None:  # "Send /judge" is "Type judge"
            text = text.replace(f"send /{spec.command}", f"type {spec.word}")
            text = text.replace(f"Send /{spec.command}", f"Type {spec.word}")
        if spec.label is not None:
            text = text.replace(f"choose {spec.label}", f"type {spec.word}")
            text = text.replace(f"Choose {spec.label}", f"Type {spec.word}")
    return text
