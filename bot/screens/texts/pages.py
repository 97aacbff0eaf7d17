"""Pages of a long listing: its Previous and Next buttons, and which page is shown."""

from __future__ import annotations

# --- Pages of buttons (issue 20) ---------------------------------------------------------------
PAGE_PREVIOUS = "‹ Previous"
PAGE_NEXT = "Next ›"
PAGE_OF = "Page {page} of {pages}."
# The review's later pages: its answers to change, after the first page's.
REVIEW_MORE_CHANGES = "More answers to change ({page} of {pages})."
