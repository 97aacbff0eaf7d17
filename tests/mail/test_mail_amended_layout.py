"""What an amended email's top says and how it sits, as seen rendered in Chromium: the changes in
the nomination's own column as a list, each question named once ("Q2 Measuring the impact", not
"Q2 (Q2 Measuring the impact)")."""

from __future__ import annotations

import re

from flows.form import Form, load_form
from mail.amended import amended, changes, summary
from tests.kit.mailkit import compose, html_body, nomination_answers, parse, submitted_state

FORM: Form = load_form()


def test_each_changed_question_is_named_once() -> None:
    state = submitted_state(FORM, q2="Shorter now.")
    previous = {f: [p.text for p in parts] for f, parts in nomination_answers().items()}
    (line,) = changes(FORM, previous, state)
    assert line.startswith("Q2 Measuring the impact: changed,")


def test_the_changes_sit_in_the_nominations_column_as_a_list() -> None:
    state = submitted_state(FORM)
    text = summary(state.reference, 2, ["Q2 Measuring the impact: changed, 30 → 26 words.", "a<b"])
    page = html_body(parse(amended(compose(FORM, state)[0], text, 2).message))
    body = re.search(r"<body[^>]*>", page)
    assert body is not None
    top = page[body.end() :]
    assert top.startswith('<div style="max-width:680px; margin:0 auto;')
    block = top[: top.index("</div></div>")]
    assert "<strong>Amended: this is version 2 of nomination" in block
    assert "<li>Q2 Measuring the impact: changed, 30 → 26 words.</li><li>a&lt;b</li>" in block
