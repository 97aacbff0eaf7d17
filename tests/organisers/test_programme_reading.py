"""What reads a nomination outside the conversation reads it by its own award's form (issue 19):
the reminder of a draft in the second award, which stops once that award closes; the nominator's
/mydata document, with the second award's questions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.jobs.reminders import ReminderScheduler, ReminderSettings
from bot.services.evidence import EvidenceService, IncomingFile
from bot.services.my_data import MyData
from bot.telegram.reminders import reminder_text
from flows.evidence import EvidenceFile, Limits
from flows.programme import Programme
from flows.round import Round
from storage import NominationStore
from storage.evidence import EvidenceStore
from storage.reminders import ReminderStore
from tests.kit.organiserkit import Clock, start_draft, submit
from tests.organisers.test_reminders import AFTER, RecordingSend


def closing(programme: Programme, award_id: str, closes_in: timedelta, clock: Clock) -> Programme:
    """The programme with one award's closing date moved."""
    awards = tuple(
        a
        if a.id != award_id
        else type(a)(
            a.id, a.form, a.description, a.organiser_emails, Round(None, clock.now + closes_in)
        )
        for a in programme
    )
    return Programme(programme.title, awards)


async def test_a_reminder_reads_by_its_awards_form_and_stops_when_that_award_closes(
    store: NominationStore, reminder_store: ReminderStore, clock: Clock, programme: Programme
) -> None:
    programme = closing(programme, "learning", AFTER * 2, clock)
    lsi, learning = programme.forms
    await start_draft(store, learning, clock.now, nominee_name="Sam Patel", nominee_role="Tutor")
    send = RecordingSend()
    settings = ReminderSettings(after=AFTER, maximum=2, per_second=10_000.0)
    reminders = ReminderScheduler(
        reminder_store, store, lsi, send, settings, clock=clock, programme=programme
    )
    clock.advance(AFTER)
    assert (await reminders.run_once()).delivered == 1
    (reminder,) = send.sent
    assert reminder.nominee == "Sam Patel"
    assert reminder.total == len(learning.fields)  # the example award's steps, not the shipped
    closes = programme.award("learning")
    assert closes is not None and reminder.round == closes.round
    said = " ".join(reminder_text(reminder, Round()))  # the award's date, not the round's none
    assert closes.round.closing_sentence() in said

    clock.advance(AFTER * 2)  # the example award has closed: no second reminder
    assert (await reminders.run_once()).delivered == 0
    assert len(send.sent) == 1


async def test_each_awards_drafts_are_reminded_by_its_own_closing_date(
    store: NominationStore, reminder_store: ReminderStore, clock: Clock, programme: Programme
) -> None:
    """The round-wide date (NOMINATIONS_CLOSE_AT) has passed, but each award has its own: the
    example award's drafts follow its last-hour rule and stop when it closes; the shipped award's
    carry on."""
    start, after = clock.now, timedelta(hours=4)
    programme = closing(programme, "learning", timedelta(hours=30), clock)
    programme = closing(programme, "lsi", timedelta(days=10), clock)
    lsi, learning = programme.forms
    in_learning, _ = await start_draft(store, learning, start)
    in_lsi, _ = await start_draft(store, lsi, start)
    send = RecordingSend()
    settings = ReminderSettings(
        after=after, maximum=3, per_second=10_000.0, round=Round(None, start + timedelta(hours=2))
    )
    reminders = ReminderScheduler(
        reminder_store, store, lsi, send, settings, clock=clock, programme=programme
    )
    clock.now = start + timedelta(hours=25)  # after the round-wide date: each award is open
    await reminders.run_once()
    assert sorted(r.nominator for r in send.sent) == sorted([in_learning, in_lsi])
    learning_award = programme.award("learning")
    assert learning_award is not None
    (first,) = [r for r in send.sent if r.nominator == in_learning]
    assert learning_award.round.closing_sentence() in " ".join(reminder_text(first, Round()))

    # Half an hour before the example award closes: its draft had one 4.5 hours ago, so none.
    clock.now = start + timedelta(hours=29, minutes=30)
    await reminders.run_once()
    assert [r.nominator for r in send.sent[2:]] == [in_lsi]

    clock.now = start + timedelta(hours=31)  # the example award has closed: not even claimed
    assert [ref for _, ref, _, _ in await reminder_store.due(reminders.window())] == []
    clock.now = start + timedelta(hours=34)
    due = await reminder_store.due(reminders.window())
    assert [who for _, _, who, _ in due] == [in_lsi]


async def test_my_data_reads_each_nomination_by_its_awards_form(
    store: NominationStore, clock: Clock, programme: Programme
) -> None:
    lsi, learning = programme.forms
    sent = await submit(store, learning, clock.now, nominee_name="Sam Patel", teaching="Weekly.")
    (record,) = [r for r in await store.submitted() if r.state.reference == sent.reference]

    async def no_files(_: str) -> list[EvidenceFile]:
        return []

    mydata = MyData(lsi, store.of_nominator, no_files, None, programme)
    document = await mydata.document(record.nominator, clock.now)
    (nomination,) = document["nominations"]
    assert nomination["nominee"] == "Sam Patel"
    labels = [a["label"] for a in nomination["versions"][0]["answers"]]
    assert labels == ["Nominee", "Q1 Helping others learn"]
    assert [a["label"] for a in nomination["answers"]] == labels


async def test_a_supporting_file_is_asked_for_by_its_own_awards_question(
    store: NominationStore, db_path: Path, clock: Clock, programme: Programme
) -> None:
    lsi, learning = programme.forms
    who, draft = await start_draft(store, learning, clock.now)
    at_question = draft.model_copy(update={"position": "teaching"})  # the example award's Q1
    await store.save(draft, at_question, at=clock.now)
    files = await EvidenceStore.open(db_path)
    try:
        evidence = EvidenceService(
            files, lsi, store.active_draft, Limits.in_megabytes(10, 20), forms=programme.forms
        )
        offer = await evidence.offer(who, IncomingFile("notes.pdf", "application/pdf", 100, None))
    finally:
        await files.close()
    assert offer.refusal is None and offer.field_id == "teaching"
    assert evidence.form_for(draft.reference) is learning
