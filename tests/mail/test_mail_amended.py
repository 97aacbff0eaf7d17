"""An amended nomination's emails: what changed (old → new for a detail, word counts for a long
answer), "Amended" in the subject and at the top of both bodies, a Message-ID of its own."""

from __future__ import annotations

from flows.form import Form, load_form
from mail.amended import NO_CHANGES, amended, changes, summary
from tests.kit.mailkit import compose, html_body, nomination_answers, parse, submitted_state
from tests.kit.mailkit import text_body as plain

FORM: Form = load_form()


def test_changes_name_each_changed_answer_in_the_forms_order() -> None:
    state = submitted_state(FORM, nominee_role="Matron", q2="Shorter now.")
    before = nomination_answers()
    previous = {field_id: [p.text for p in parts] for field_id, parts in before.items()}
    old_role = "\n\n".join(previous["nominee_role"])

    lines = changes(FORM, previous, state)

    role = FORM.field("nominee_role")
    assert lines[0] == f"{role.label}: {old_role} → Matron"
    assert lines[1].startswith("Q2 Measuring the impact: changed") and "→ 2 words" in lines[1]
    assert len(lines) == 2
    assert summary("LSI-ABC234", 2, []).endswith(NO_CHANGES)


def test_an_amended_email_is_marked_and_keeps_its_reference() -> None:
    state = submitted_state(FORM)
    email = compose(FORM, state)[0]
    text = summary(state.reference, 3, ["Q1 (x): changed, 10 → 12 words."])

    marked = amended(email, text, 3)

    msg = parse(marked.message)
    assert msg["Subject"] == "Amended: " + str(parse(email.message)["Subject"])
    assert msg["X-Nomination-Reference"] == state.reference
    assert marked.message_id != email.message_id and "-amended-v3@" in marked.message_id
    assert plain(msg).startswith(text)
    assert "Amended: this is version 3" in html_body(msg)
