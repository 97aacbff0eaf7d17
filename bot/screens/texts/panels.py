"""Several judged awards in one bot (issues 18 and 19): an organiser's choice of award."""

from __future__ import annotations

PANELS_CHOOSE_JUDGES = "Which award's judging panel?"
PANELS_CHOOSE_OPEN = "Open judging for which award?"
PANELS_CHOOSE_CLOSE = "Close judging for which award?"
PANELS_CHOOSE_BOARD = "Which award's leaderboard?"
PANELS_STATE_LINE = "{award}: judging is {state}"
PANELS_STATE_HINT = "Send /judging open or /judging close, then choose the award."
SHORTLIST_OF = "{award}. {shortlist}"
PANELS_NOT_YOURS = "No judged award of yours has the id {award}. Yours: {awards}."
