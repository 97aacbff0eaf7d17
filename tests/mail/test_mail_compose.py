"""Composing the emails: content verbatim, HTML escaped once, headers that user text can't break."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime
from email.header import decode_header, make_header

import pytest

from flows.engine import word_count
from flows.form import Form
from flows.round import Round
from mail.compose import compose_code_email, compose_resend, header_text, uk_time
from storage.types import EmailKind
from tests.kit.mailkit import (
    MAIL_FROM,
    ORGANISERS,
    SUBMITTED_AT,
    assert_wire_safe,
    compose,
    html_body,
    html_text,
    parse,
    submitted_state,
    text_body,
)

TITLE = "Leading for Service Improvement and Innovation"
SUBMISSION_KINDS = (EmailKind.ORGANISERS, EmailKind.NOMINATOR)  # VERIFY carries no nomination


def by_kind(form: Form) -> dict[EmailKind, bytes]:
    """The awkward nomination's emails, by kind."""
    return {e.kind: e.message for e in compose(form, submitted_state(form))}


def test_organisers_email_headers(form: Form) -> None:
    emails = compose(form, submitted_state(form))
    organisers = next(e for e in emails if e.kind is EmailKind.ORGANISERS)
    msg = parse(organisers.message)

    assert msg["Subject"] == (
        'Zoë O\'Brien-Ngũgĩ, Ward Sister <Band 7> & "lead", Leeds Teaching Hospitals NHS Trust'
        ' — nominated by Dr Siân "Taff" Jones, RN (LSI-7K3Q9M)'
    )
    assert msg["From"] == MAIL_FROM
    assert [a.addr_spec for a in msg["To"].addresses] == ["awards@hee.example", "panel@hee.example"]
    (reply_to,) = msg["Reply-To"].addresses
    assert reply_to.display_name == 'Dr Siân "Taff" Jones, RN'
    assert reply_to.addr_spec == "sian.jones@nhs.example"
    assert msg["Message-ID"] == "<nomination-LSI-7K3Q9M-organisers@awards.example>"
    assert organisers.message_id == msg["Message-ID"]
    assert organisers.recipients == ("awards@hee.example", "panel@hee.example")
    assert msg["Date"].datetime == datetime(2026, 11, 26, 14, 5, tzinfo=UTC)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in msg.iter_parts())
    assert not msg.defects


def test_nominators_copy_thanks_them_and_says_what_happens_next(form: Form) -> None:
    emails = compose(form, submitted_state(form))
    copy = next(e for e in emails if e.kind is EmailKind.NOMINATOR)
    msg = parse(copy.message)

    assert msg["Subject"] == "Your nomination LSI-7K3Q9M has been received"
    assert copy.recipients == ("sian.jones@nhs.example",)
    assert msg["To"].addresses[0].display_name == 'Dr Siân "Taff" Jones, RN'
    assert msg["Reply-To"].addresses[0].addr_spec == "awards@hee.example"
    assert msg["Message-ID"] == "<nomination-LSI-7K3Q9M-nominator@awards.example>"
    text = text_body(msg)
    assert text.startswith("Thank you for your nomination.")
    assert "Your reference is LSI-7K3Q9M" in text
    # No closing date is set: the copy does not speak of one.
    assert form.next_steps_open_ended is not None
    assert " ".join(form.next_steps_open_ended.split()) in " ".join(text.split())
    assert form.next_steps_open_ended in html_text(html_body(msg))
    assert "closing date" not in text and "closing date" not in html_body(msg)


@pytest.mark.parametrize("kind", SUBMISSION_KINDS)
def test_every_answer_arrives_verbatim_in_both_parts(form: Form, kind: EmailKind) -> None:
    state = submitted_state(form)
    msg = parse(by_kind(form)[kind])
    text, html = text_body(msg), html_body(msg)
    shown = html_text(html)

    for question in (f for f in form.fields if f.is_question):
        answer = state.answer(question.id)
        assert answer is not None
        assert f"{question.number}. {question.prompt}" in text
        assert f"{question.number}. {question.prompt}" in shown
        assert answer in text
        assert answer in shown, f"{question.id} altered in HTML"
        assert f"{word_count(answer)} words, limit {question.max_words}" in text
    assert TITLE in text and TITLE in shown
    assert "LSI-7K3Q9M" in text and "LSI-7K3Q9M" in shown
    assert "Thursday 26 November 2026, 14:05 (UK time)" in text
    assert "Thursday 26 November 2026, 14:05 (UK time)" in shown


def test_details_show_labels_and_readable_values(form: Form) -> None:
    msg = parse(by_kind(form)[EmailKind.ORGANISERS])
    text = text_body(msg)
    shown = html_text(html_body(msg))
    for line in (
        "An individual nomination.",
        "Nominee: Zoë O'Brien-Ngũgĩ",
        'Job title or role: Ward Sister <Band 7> & "lead"',
        "The nominee does not know about this nomination.",
        'Nominated by: Dr Siân "Taff" Jones, RN',
        "Nominator's email: sian.jones@nhs.example",
        "Nominator's phone: Not given",
        "The nominator agrees to their answers being shared with the award organisers.",
    ):
        assert line in text
        assert line in shown
    # Fields not asked of an individual's nomination are not shown at all.
    assert "Team lead" not in text and "Team lead" not in shown


def test_html_escapes_user_text_exactly_once(form: Form) -> None:
    html = html_body(parse(by_kind(form)[EmailKind.ORGANISERS]))
    assert "<script>" not in html
    assert "<b>not bold</b>" not in html
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt; &amp; &amp;amp; " in html
    assert "&amp;amp;amp;" not in html
    assert "Ward Sister &lt;Band 7&gt; &amp; &#34;lead&#34;" in html


def test_html_is_self_contained_and_simple(form: Form) -> None:
    html = html_body(parse(by_kind(form)[EmailKind.ORGANISERS]))
    lowered = html.lower()
    for banned in ("<img", "<link", "<script", "<style", "src=", "url(", "http://"):
        assert banned not in lowered
    # The only URL is the one the nominator typed, as text.
    assert lowered.count("https://") == 1
    assert 'dir="auto"' in html  # right-to-left answers lay out right


def test_team_nomination_names_the_team(form: Form) -> None:
    state = submitted_state(
        form, nominee_type="team", nominee_name=None, team_name="Ward 7 Discharge Team",
        nominee_role='Priya Shah, Ward Sister <Band 7> & "lead"',
    )  # fmt: skip
    msg = parse(compose(form, state)[0].message)
    assert msg["Subject"] == (
        'Ward 7 Discharge Team, led by Priya Shah, Ward Sister <Band 7> & "lead", Leeds Teaching'
        ' Hospitals NHS Trust — nominated by Dr Siân "Taff" Jones, RN (LSI-7K3Q9M)'
    )
    text = text_body(msg)
    assert "A team nomination." in text
    assert "Team lead and their job title: Priya Shah, Ward Sister" in text


@pytest.mark.parametrize("padding", range(40, 52))
def test_a_long_team_subject_unfolds_with_single_spaces(form: Form, padding: int) -> None:
    """Python's folder can leave the space it folds at on the line before, which reads as two
    spaces before the dash; the raw header is checked as a mail program unfolds it."""
    team = "Ward " + "x" * padding + " Team"
    state = submitted_state(
        form, nominee_type="team", nominee_name=None, team_name=team,
        nominee_role="Sister Ana Okafor, Ward Manager",
    )  # fmt: skip
    raw = compose(form, state)[0].message.partition(b"\r\n\r\n")[0].decode("ascii")
    subject = ("\r\n" + raw).split("\r\nSubject: ", 1)[1].split("\r\nFrom: ", 1)[0]
    assert not re.search(r"[ \t]\r\n", subject)
    unfolded = subject.replace("\r\n", "")
    decoded = str(make_header(decode_header(unfolded)))
    assert decoded == (
        f"{team}, led by Sister Ana Okafor, Ward Manager, Leeds Teaching Hospitals NHS Trust"
        ' — nominated by Dr Siân "Taff" Jones, RN (LSI-7K3Q9M)'
    )


def test_message_ids_and_bytes_are_stable(form: Form) -> None:
    first = compose(form, submitted_state(form))
    again = compose(form, submitted_state(form))
    assert [e.message_id for e in first] == [e.message_id for e in again]
    assert first == again
    other = compose(form, submitted_state(form, reference="LSI-AAAAAA"))
    assert {e.message_id for e in first}.isdisjoint(e.message_id for e in other)


def test_no_organisers_means_only_the_nominators_copy(form: Form) -> None:
    emails = compose(form, submitted_state(form), organisers=())
    assert [e.kind for e in emails] == [EmailKind.NOMINATOR]
    assert "Reply-To" not in parse(emails[0].message)


def test_unusable_nominator_address_still_reaches_the_organisers(form: Form) -> None:
    emails = compose(form, submitted_state(form, nominator_email="jörg@example.com"))
    assert [e.kind for e in emails] == [EmailKind.ORGANISERS]
    msg = parse(emails[0].message)
    assert "Reply-To" not in msg
    assert "Nominator's email: jörg@example.com" in text_body(msg)


def test_line_breaks_in_names_cannot_add_headers(form: Form) -> None:
    state = submitted_state(
        form,
        nominee_name="Evil\r\nBcc: victim@example.com\r\n\r\n<html>",
        nominator_name="Mallory\nX-Injected: yes\rCc: also@example.com",
    )
    for item in compose(form, state):
        assert_wire_safe(item.message)
        msg = parse(item.message)
        assert set(msg.keys()) == {
            "Subject", "From", "To", "Reply-To", "Date", "Message-ID",
            "X-Nomination-Reference", "MIME-Version", "Content-Type",
        }  # fmt: skip
        assert "\n" not in msg["Subject"] and "\r" not in msg["Subject"]
        if item.kind is EmailKind.ORGANISERS:
            assert "Evil Bcc: victim@example.com <html>" in msg["Subject"]
        assert not msg.defects
    organisers = parse(compose(form, state)[0].message)
    assert organisers["Reply-To"].addresses[0].display_name == (
        "Mallory X-Injected: yes Cc: also@example.com"
    )


def test_line_breaks_in_the_nominators_address_drop_their_copy(form: Form) -> None:
    state = submitted_state(form, nominator_email="a@example.com\r\nBcc: victim@example.com")
    emails = compose(form, state)
    assert [e.kind for e in emails] == [EmailKind.ORGANISERS]
    assert "Bcc" not in parse(emails[0].message)


def test_long_and_non_ascii_names_fold_and_round_trip(form: Form) -> None:
    nominee = "Ngũgĩ " * 40 + "X" * 300
    nominator = "Åsa " + "Ó" * 200
    state = submitted_state(form, nominee_name=nominee, nominator_name=nominator)
    for item in compose(form, state):
        assert_wire_safe(item.message)
        assert max(len(line) for line in item.message.split(b"\r\n")) <= 78
        assert item.message.isascii()
        msg = parse(item.message)
        if item.kind is EmailKind.ORGANISERS:
            assert header_text(nominee) in msg["Subject"]
    # The display name is folded into adjacent encoded-words. RFC 2047 says the space between
    # them is not part of the text; the stdlib's address parser keeps it, decode_header doesn't.
    raw_reply_to = email.message_from_bytes(compose(form, state)[0].message)["Reply-To"]
    decoded = str(make_header(decode_header(raw_reply_to)))
    assert decoded == f"{nominator} <sian.jones@nhs.example>"


def test_every_line_is_short_and_crlf(form: Form) -> None:
    for item in compose(form, submitted_state(form)):
        assert_wire_safe(item.message)
        assert max(len(line) for line in item.message.split(b"\r\n")) <= 78


def test_skipped_optional_question_says_not_given(form: Form) -> None:
    # q4 is required in the shipped form; compose still copes with an answer that is missing.
    msg = parse(compose(form, submitted_state(form, q4=None))[0].message)
    assert "Not given" in text_body(msg).split("Q4. ")[1]
    assert "0 words, limit 500" in text_body(msg)


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 11, 26, 14, 5, tzinfo=UTC), "Thursday 26 November 2026, 14:05 (UK time)"),
        (datetime(2026, 7, 1, 23, 30, tzinfo=UTC), "Thursday 2 July 2026, 00:30 (UK time)"),
        (datetime(2026, 3, 29, 0, 59), "Sunday 29 March 2026, 00:59 (UK time)"),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "Sunday 29 March 2026, 02:00 (UK time)"),
    ],
)
def test_submission_time_is_told_in_uk_time(moment: datetime, shown: str) -> None:
    assert uk_time(moment) == shown


def test_header_text_removes_every_control_character() -> None:
    assert header_text("a\r\nb\x00c\x1bd\u2028e\u0085f\tg   h") == "a b c d e f g h"


def test_organisers_must_be_addresses(form: Form) -> None:
    with pytest.raises(ValueError, match="organiser"):
        compose(form, submitted_state(form), organisers=["not an address"])
    assert ORGANISERS  # the default list is valid


CLOSES = Round(closes_at=datetime(2027, 1, 15, 17, 0, tzinfo=UTC))


@pytest.mark.parametrize("kind", SUBMISSION_KINDS)
def test_both_emails_give_the_closing_date_when_there_is_one(form: Form, kind: EmailKind) -> None:
    sentence = "Nominations close at 5pm on Friday 15 January 2027."
    with_round = {e.kind: e for e in compose(form, submitted_state(form), round_dates=CLOSES)}
    msg = parse(with_round[kind].message)
    assert sentence in text_body(msg)
    assert sentence in html_text(html_body(msg))
    without = parse(by_kind(form)[kind])
    assert "Nominations close" not in text_body(without)


def test_nominators_copy_says_they_read_after_the_closing_date_only_when_there_is_one(
    form: Form,
) -> None:
    emails = compose(form, submitted_state(form), round_dates=CLOSES)
    msg = parse(next(e for e in emails if e.kind is EmailKind.NOMINATOR).message)
    assert "after the closing date" in form.next_steps
    assert " ".join(form.next_steps.split()) in " ".join(text_body(msg).split())
    assert form.next_steps in html_text(html_body(msg))


def test_organisers_email_opens_with_the_headline_and_names_the_award_once(form: Form) -> None:
    msg = parse(by_kind(form)[EmailKind.ORGANISERS])
    html = html_body(msg)
    first_heading = html[html.index("<h1") : html.index("</h1>")]
    assert "Zoë O&#39;Brien-Ngũgĩ, Ward Sister &lt;Band 7&gt;" in first_heading
    assert "nominated by Dr Siân" in first_heading
    assert text_body(msg).count(TITLE) == 1
    assert html_text(html).count(TITLE) == 1
    assert "Reference LSI-7K3Q9M" in text_body(msg)


def test_nominators_copy_never_names_the_nominee_in_its_subject(form: Form) -> None:
    state = submitted_state(form, nominee_name="Secret Person")
    copy = next(e for e in compose(form, state) if e.kind is EmailKind.NOMINATOR)
    msg = parse(copy.message)
    assert "LSI-7K3Q9M" in msg["Subject"]
    assert "Secret" not in msg["Subject"] and "Person" not in msg["Subject"]


def test_resend_is_a_new_message_marked_resent(form: Form) -> None:
    state = submitted_state(form)
    original = by_kind(form)[EmailKind.ORGANISERS]
    resent_at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    again = compose_resend(
        form, state, submitted_at=SUBMITTED_AT, resent_at=resent_at, mail_from=MAIL_FROM,
        organisers=ORGANISERS,
    )  # fmt: skip
    first, second = parse(original), parse(again.message)
    assert second["Subject"] == f"Resent: {first['Subject']}"
    assert second["Message-ID"] != first["Message-ID"]
    assert again.message_id == second["Message-ID"]
    assert again.kind is EmailKind.ORGANISERS
    assert again.recipients == ("awards@hee.example", "panel@hee.example")
    assert text_body(second).split("Reference")[1] == text_body(first).split("Reference")[1]
    later = compose_resend(
        form, state, submitted_at=SUBMITTED_AT, resent_at=resent_at.replace(minute=31),
        mail_from=MAIL_FROM, organisers=ORGANISERS,
    )  # fmt: skip
    assert later.message_id != again.message_id


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidi_overrides_never_reach_an_email(form: Form) -> None:
    """A right-to-left override would show 'Sam <RLO>fdp.exe' as 'Sam exe.pdf': in a subject, a
    From name or a body the text reads in the order it was typed. Hebrew and ZWJ emoji stay."""
    state = submitted_state(
        form,
        nominee_name="Sam \u202efdp.exe\u202c \u2067Jones\u2069",
        nominator_name="\u202dMallory\u202c שלום",
        q1="Before \u202eevil\u202c after 👩\u200d⚕️",
    )
    for item in compose(form, state):
        msg = parse(item.message)
        whole = f"{msg['Subject']} {msg['To']} {msg['Reply-To']} {text_body(msg)} {html_body(msg)}"
        assert not any(c in whole for c in BIDI_CONTROLS)
        assert "Before evil after 👩\u200d⚕️" in text_body(msg)
        if item.kind is EmailKind.ORGANISERS:
            assert "Sam fdp.exe Jones" in msg["Subject"]
            assert msg["Reply-To"].addresses[0].display_name == "Mallory שלום"


def test_an_unconfirmed_address_gets_no_copy_and_the_organisers_are_told(form: Form) -> None:
    """Issue 12: nothing with the nominator's text goes to an address they did not prove."""
    state = submitted_state(form)
    (organisers,) = compose(form, state, email_confirmed=False)
    assert organisers.kind is EmailKind.ORGANISERS
    resent = compose_resend(
        form, state, submitted_at=SUBMITTED_AT, resent_at=SUBMITTED_AT, mail_from=MAIL_FROM,
        organisers=ORGANISERS, email_confirmed=False,
    )  # fmt: skip
    for item in (organisers, resent):
        msg = parse(item.message)
        assert msg["Subject"].endswith(" - email address not confirmed")
        assert msg["Reply-To"] is None
        assert "Email address not confirmed" in text_body(msg)
        assert "Email address not confirmed" in html_text(html_body(msg))


def test_the_code_email_holds_only_the_code_and_what_it_is_for(form: Form) -> None:
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    made = compose_code_email(
        form, address="sam@nhs.example", code="042917", token="t1", mail_from=MAIL_FROM, at=at
    )
    assert made is not None and made.kind is EmailKind.VERIFY
    msg = parse(made.message)
    assert made.recipients == ("sam@nhs.example",)
    assert msg["Subject"] == "Your code to confirm your email address"
    body = text_body(msg)
    assert body.startswith("Your code is 042917")
    assert "15 minutes" in body and "ignore this email" in body
    assert msg.get_content_type() == "text/plain"
    assert_wire_safe(made.message)
    assert (
        compose_code_email(
            form, address="sám@nhs.example", code="1", token="t", mail_from=MAIL_FROM, at=at
        )
        is None
    )  # no header can carry it (and no copy could go to it either)


@pytest.mark.parametrize(
    ("typed", "html"),
    [
        ("one line & <b>", "one line &amp; &lt;b&gt;"),
        ("a\r\nb\rc\nd", "a<br>b<br>c<br>d"),  # CRLF, CR and LF are each one break
        ("a\r\r\nb\n\rc", "a<br><br>b<br><br>c"),  # CR then CRLF; LF then CR: two each
        ("\r\n\r\nend\n", "<br><br>end<br>"),
    ],
)
def test_line_breaks_escape_each_line_and_break_once_per_crlf_cr_or_lf(
    typed: str, html: str
) -> None:
    from mail.compose import templates

    assert str(templates().filters["line_breaks"](typed)) == html
