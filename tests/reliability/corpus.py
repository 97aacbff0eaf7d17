"""The hostile-input corpus: texts a nominator might paste, hand-picked and generated.

Every entry is a text message; the other kinds of message (photos, polls, forwards...) are built
in test_hostile_input.py, since they are not text.
"""

from __future__ import annotations

import random

UNICODE_TROUBLE = (
    "👩‍⚕️👨‍👩‍👧‍👦🏳️‍🌈",  # zero-width joiner sequences
    "Priya\u200dShah",
    "\u200b\u200b\u200b",  # zero-width spaces only
    "\u202eevil\u202c reversed",  # right-to-left override
    "\u2066isolate\u2069 and \u2067rtl\u2069",
    "مرحبا بالعالم",  # Arabic
    "שלום עולם",  # Hebrew
    "Z̸̢̧a̵̛͓l̴̰̈g̶̱̈́o̷̤͝ text with combining marks",
    "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
    "🇬🇧🇺🇦🇮🇳 flags",
    "👍🏿👍🏻 skin tones",
    "1️⃣2️⃣3️⃣ keycaps",
    "control \u0001\u0002\u0007\u001b[31m chars",
    "tab\there\tand\vvertical",
    "nul \u0000 inside",
    "\u0000",
    "line\u2028separator\u2029paragraph",
    "\ufeffbyte order mark",
    "\ufffd replacement",
    "𝕄𝕒𝕥𝕙𝕖𝕞𝕒𝕥𝕚𝕔𝕒𝕝 letters",
    "𠜎𠜱𠝹 astral CJK",
    "ｆｕｌｌｗｉｄｔｈ",
    "İstanbul ß ǅ case folding",
    "\u00a0\u00a0non-breaking\u00a0spaces\u00a0",
    "\u180e mongolian vowel separator",
    "a\u0308\u0304\u0301\u0327 stacked",
    "ﷺ ligature",
    "\U000e0041\U000e0042 tag characters",
    "\ud83d lone high surrogate",
    "lone low \udc00 surrogate",
)

MARKUP_SPECIALS = (
    "<b>bold</b> <i>it</i> <script>alert(1)</script>",
    "</blockquote><a href='x'>link</a>",
    "&amp; &lt; &gt; &quot; &#39; &nbsp; &bogus;",
    "<<<>>>&&&",
    "*bold* _italic_ `code` ```block``` ~strike~ ||spoiler||",
    "[link](http://example.com) ![img](x.png)",
    "\\*escaped\\* \\_ \\` \\\\",
    "# heading\n- list\n> quote",
    "<tg-spoiler>x</tg-spoiler> <pre><code class='python'>x</code></pre>",
    "1 < 2 > 0 & done",
    '<a href="javascript:alert(1)">click</a>',
    "{{template}} ${var} %s %(name)s {0}",
    "'; DROP TABLE nominations; --",
    "Robert'); DELETE FROM answer_parts; --",
    "@nomination_test_bot /start@nomination_test_bot #hashtag $CASH",
    "https://t.me/nomination_test_bot?start=nominate",
    "mailto:a@b.c tel:+447700900123",
    "<" * 200,
    "&" * 300,
    "_*`[" * 50,
)

LONG_MESSAGES = (
    "a" * 4096,
    "é" * 4096,
    "😀" * 2048,  # 4096 UTF-16 code units
    "<" * 4096,
    "&" * 4096,
    ("word " * 820)[:4096],
    ("ab\n" * 1366)[:4096],
    "\u200d" * 4096,
)

CRLF = (
    "Priya\r\nShah",
    "jo.bloggs@nhs.net\r\nBcc: everyone@example.com",
    "Jo\rBloggs",
    "\r\n\r\n",
    "name\nSubject: injected",
    "x\r\n.\r\nQUIT",
)

COMMANDS = (
    "/start",
    "/help",
    "/back",
    "/skip",
    "/done",
    "/review",
    "/status",
    "/pause",
    "/delete",
    "/cancel",
    "/nosuchcommand",
    "/start@nomination_test_bot",
    "/START",
    "/",
    "//",
    "/start nominate extra words",
    "/help@someone_else_bot",
    "text then /back in the middle",
)

# Characters that make trouble, mixed with ordinary letters by `generated`.
_TROUBLE = "<>&*_`[]()~|#\\\"'\u200b\u200d\u202e\u0301\r\n\t 😀👩‍⚕️é中ع"


def generated(count: int, seed: int = 10) -> list[str]:
    """Short texts of ordinary letters and trouble, mostly two to four words."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        length = rng.randint(1, 24)
        text = "".join(rng.choice(_TROUBLE + "abcdef") for _ in range(length))
        texts.append(text if text.strip() else text + "x")
    return texts
