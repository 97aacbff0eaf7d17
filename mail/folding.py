"""An email as the bytes to send, with its headers folded so that they unfold to what was set.

Python's header folder can end a line with the space it folds at ("Trust \\r\\n =?utf-8?b?4oCU?="),
so a reader unfolds two spaces where there was one: "NHS Trust  — nominated by". A continuation
line begins with whitespace of its own, so the space left at the end of the line before is
dropped here, in the top-level headers, where subjects and names are.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import SMTP

# Spaces or tabs at the end of a header line that a continuation line follows.
_BEFORE_FOLD = re.compile(rb"[ \t]+\r\n(?=[ \t])")


def message_bytes(msg: EmailMessage) -> bytes:
    """The message for SMTP (CRLF line ends), its headers folded without doubled spaces."""
    raw = msg.as_bytes(policy=SMTP)
    head, blank, body = raw.partition(b"\r\n\r\n")
    return _BEFORE_FOLD.sub(b"\r\n", head) + blank + body
