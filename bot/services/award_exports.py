"""The organisers' exports of a programme of several awards (issue 19), grouped by award: each
award's nominations under its own form's columns, since each award asks its own questions. One
award's export is exactly the export of a bot serving that award alone."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from flows.programme import Award

AWARD_HEADING = "Award: {title} ({id})"


def grouped_csv(parts: Sequence[tuple[Award, str]]) -> str:
    """Each award's CSV under a line naming the award, a blank line between them."""
    return "\n".join(
        f"{AWARD_HEADING.format(title=a.title, id=a.id)}\r\n{text}" for a, text in parts
    )


def grouped_json(title: str, parts: Sequence[tuple[Award, str]]) -> str:
    """{"programme": title, "awards": [each award's JSON document, with its award id]}."""
    awards = [
        {"award": a.id, "description": a.description, **json.loads(text)} for a, text in parts
    ]
    document = {"programme": title, "awards": awards}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def grouped_html(title: str, parts: Sequence[tuple[Award, str]]) -> str:
    """One document titled by the programme: each award's pack, one after another."""
    first = parts[0][1]
    head, _, rest = first.partition("<body>")
    before, _, after = head.partition("<title>")
    head = (
        f"{before}<title>{html.escape(title)}: panel pack</title>{after.partition('</title>')[2]}"
    )
    bodies = [text.partition("<body>")[2].rpartition("</body>")[0] for _, text in parts]
    tail = rest.rpartition("</body>")[2]
    return f"{head}<body>{''.join(bodies)}</body>{tail}"
