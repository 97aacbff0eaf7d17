"""What every screen reads besides the state: the form, the front end whose words to use, the
settings a screen names (the round, the email domains allowed), and the voice of the form being
filled in (a nomination's, or a colleague's supporting statement's)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.screens import texts
from bot.screens.actions import FrontEnd
from bot.screens.menus import how_to_start
from flows.form import Form
from flows.round import Round


@dataclass(frozen=True, slots=True)
class Voice:
    """The words that differ between a nomination's screens and a statement's: a question's
    heading once the nominee is known, the review's title and its closing lines, and the label of
    its Submit button. `{nominee}`, `{progress}` and `{reference}` are filled in."""

    heading: str
    review_title: str
    review_ready: str
    review_blocked: str
    submit: str


NOMINATION = Voice(
    heading=texts.NOMINATION_FOR,
    review_title=texts.REVIEW_TITLE,
    review_ready=texts.REVIEW_READY,
    review_blocked=texts.REVIEW_BLOCKED,
    submit=texts.SUBMIT_BUTTON,
)
STATEMENT = Voice(
    heading=texts.STATEMENT_FOR,
    review_title=texts.STATEMENT_REVIEW,
    review_ready=texts.STATEMENT_READY,
    review_blocked=texts.STATEMENT_BLOCKED,
    submit=texts.SUPPORT_SEND_BUTTON,
)


@dataclass(frozen=True, slots=True)
class Wording:
    """Everything a screen is worded from, but the nomination itself."""

    form: Form
    front_end: FrontEnd = FrontEnd.TELEGRAM
    allowed_domains: tuple[str, ...] = ()  # ALLOWED_EMAIL_DOMAINS, for their problem
    round: Round = field(default_factory=Round)
    voice: Voice = NOMINATION
    emails_saved_in: str | None = None  # the folder emails are written to, with no SMTP server
    email_codes: bool = True  # whether nominators' addresses are checked with an emailed code
    nominee_approval: bool = False  # whether the award asks its nominees to approve (issue 19)

    @property
    def telegram(self) -> bool:
        return self.front_end is FrontEnd.TELEGRAM

    @property
    def start(self) -> str:
        """How to begin again in this front end's words: "send /start" or "type start"."""
        return how_to_start(telegram=self.telegram)

    def in_(self, front_end: FrontEnd) -> Wording:
        return replace(self, front_end=front_end)
