"""An awards programme (issue 19): choosing an award, reading more about one, and nominating the
same person for another award."""

from __future__ import annotations

from bot.screens.actions import Action, label

AWARDS_CHOOSE = "Choose the award you want to make a nomination for."
AWARDS_CHOOSE_AGAIN = "Choose another award to nominate them for."
AWARD_LINE = "{title}: {description}"
AWARD_OPENS = "{title} opens for nominations later. {opening}"
AWARD_CLOSED = "{title} is closed. {closed}"
AWARDS_NONE_OPEN = "No award is taking nominations at the moment."
MORE_ABOUT_BUTTON = label(Action.AWARD_ABOUT)
MORE_ABOUT_NAMED = "More about: {title}"
ANOTHER_AWARD_BUTTON = label(Action.ANOTHER_AWARD)
ANOTHER_AWARD_OFFER = (
    "You can nominate them for another award too. Their details and yours are filled in for you "
    "to check; each award asks its own questions."
)
ANOTHER_AWARD_NONE = "No other award is taking nominations at the moment."
AWARD_START_BUTTON = "Nominate for this award"
MY_NOMINATION_AWARD = "Award: {award}"
HELP_AWARDS = "Several awards are taking nominations. {start} to choose which one."
