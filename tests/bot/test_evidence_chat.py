"""Supporting files end to end: the real bot, the fake Bot API's getFile and file downloads, and
a real SMTP server. A file is accepted at an award question, refused when too big or of the wrong
type, removed, fetched again after a failed download, and reaches the organisers byte for byte."""

from __future__ import annotations

import asyncio
import hashlib
import stat

from bot.screens import texts
from flows.evidence import size_text
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SmtpServer, text_body, wait_for_messages
from tests.kit.nominator import (
    DETAILS,
    ORGANISERS,
    RELATIONSHIP,
    MakeSettings,
    Nominator,
    running_bot,
    shown,
)
from tests.kit.samples import ooxml

FILLER = (
    "It changed how the whole ward works, and patients, families and staff all say that "
    "they can see and feel the difference every single day."
)
ANSWERS = [f"Question {n} answer. {FILLER}" for n in range(1, 5)]
AUDIT = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"  # every byte value, CRLF included
CHART = b"\x89PNG\r\n\x1a\n" + b"\x00\x01\r\n\xff" * 500
FEEDBACK_NAME = "Rückmeldung – patients.xlsx"  # non-ASCII: RFC 2231 in the header
FEEDBACK = ooxml("xl/workbook.xml", bytes(range(256)) * 5)  # a workbook's zip, every byte value
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def to_first_question(nominator: Nominator) -> None:
    await nominator.start_individual()
    await nominator.say_all(*DETAILS)
    await nominator.say("/skip")  # the phone number is optional
    await nominator.say(RELATIONSHIP)


async def send_file(nominator: Nominator, **kwargs: object) -> str:
    await nominator.user.send_document(**kwargs)  # type: ignore[arg-type]
    return shown(await nominator.settle(1))


async def test_files_are_kept_listed_removed_and_emailed_byte_for_byte(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    # The address check has its own tests (test_email_check.py); here the copy goes straight out.
    settings = make_settings(
        smtp_host="127.0.0.1", smtp_port=smtp_server.port, verify_nominator_email=False
    )
    async with running_bot(settings) as services:
        stop = asyncio.Event()
        worker = asyncio.create_task(services.worker.run(stop, idle_poll=0.2))
        try:
            ana = Nominator(tg, tg.user(3001, "Ana"))
            await to_first_question(ana)
            # Terminal escapes, a bell, a NUL and a direction override: cleaned where they arrive.
            caption = "Ward 7\x1b\x07\x00 audit\u202e"
            said = await send_file(ana, file_name="audit.pdf", data=AUDIT, caption=caption)
            assert said == texts.FILE_SAVED.format(
                name="audit.pdf", size=size_text(len(AUDIT)), question="Q1"
            )
            await ana.say(ANSWERS[0])
            await ana.say("/done")
            await ana.user.send_photo(caption="Before and after", data=b"\xff\xd8\xff" + CHART)
            assert "Saved photo.jpg" in shown(await ana.settle(1))
            await ana.say(ANSWERS[1])
            await ana.say("/done")
            # A name that would show as "…sxlx.stneitap" were its override kept.
            spoofed = FEEDBACK_NAME.replace("patients", "\u202epatients")
            said = await send_file(ana, file_name=spoofed, mime_type=XLSX, data=FEEDBACK)
            assert said.startswith(f"Saved {FEEDBACK_NAME}")

            # /files lists them; the photo goes by its button.
            listing = shown(await ana.say("/files"))
            assert "1. Q1: audit.pdf" in listing and "2. Q2: photo.jpg" in listing
            removed = shown(await ana.tap(texts.FILE_REMOVE_BUTTON.format(number=2), expect=2))
            assert texts.FILE_REMOVED.format(name="photo.jpg") in removed
            assert "photo.jpg" not in removed.split(texts.FILES_HEADING)[-1]

            await ana.say(ANSWERS[2])
            await ana.say("/done")
            await ana.say(ANSWERS[3])
            await ana.say("/done")
            draft = await ana.draft(services)
            assert draft is not None
            review = shown(await ana.tap(texts.BUTTON_YES, expect=2))  # consent, then the review
            assert "1. Q1: audit.pdf" in review and f"2. Q3: {FEEDBACK_NAME}" in review

            # The blobs: beside the database, named by SHA-256, owner-only.
            folder = settings.database_path.parent / "evidence"
            kept = {p.name: p for p in folder.iterdir()}
            assert set(kept) == {hashlib.sha256(d).hexdigest() for d in (AUDIT, FEEDBACK)}
            assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in kept.values())

            kept_files = await services.evidence.store.list_for(draft.reference)
            await ana.tap(texts.SUBMIT_BUTTON)
            await wait_for_messages(smtp_server, 2)
        finally:
            stop.set()
            await worker

    received = {tuple(r.rcpt_tos): r.message for r in smtp_server.handler.received}
    organisers = received[ORGANISERS]
    attached = {part.get_filename(): part.get_content() for part in organisers.iter_attachments()}
    assert attached == {"audit.pdf": AUDIT, FEEDBACK_NAME: FEEDBACK}
    assert "Attached to this email:" in text_body(organisers)
    assert "Q1: audit.pdf" in text_body(organisers) and "Ward 7 audit" in text_body(organisers)
    kept_caption = next(f.caption for f in kept_files if f.name == "audit.pdf")
    assert kept_caption == "Ward 7 audit"  # stored cleaned: /files, /mydata and packs alike
    # The nominator's copy lists the files but does not carry them back.
    copy = received[(DETAILS[5],)]
    assert list(copy.iter_attachments()) == []
    assert FEEDBACK_NAME in text_body(copy)


async def test_too_big_wrong_type_and_disguised_files_change_nothing(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings(evidence_max_mb=1)
    async with running_bot(settings) as services:
        ben = Nominator(tg, tg.user(3002, "Ben"))
        await to_first_question(ben)
        before = await ben.draft(services)

        said = await send_file(ben, file_name="big.pdf", data=AUDIT, file_size=2 * 1024 * 1024)
        assert said == texts.FILE_TOO_BIG.format(name="big.pdf", limit="1.0 MB")
        assert tg.calls("getFile") == []  # Telegram said the size: nothing was downloaded

        said = await send_file(
            ben, file_name="tool.exe", mime_type="application/x-msdownload", data=b"MZ\x90"
        )
        assert said.startswith("Sorry, I can't take tool.exe.")
        assert tg.calls("getFile") == []

        # A program named .pdf passes the name check, and is refused on its first bytes.
        said = await send_file(ben, file_name="report.pdf", data=b"MZ\x90\x00" * 100)
        assert said.startswith("Sorry, I can't take report.pdf.")

        assert before is not None and await ben.draft(services) == before
        assert await services.evidence.store.list_for(before.reference) == []
        assert list((settings.database_path.parent / "evidence").iterdir()) == []


async def test_a_download_that_fails_is_tried_again_and_answers_are_never_held_up(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings(evidence_retry_seconds=0.01)
    async with running_bot(settings) as services:
        cy = Nominator(tg, tg.user(3003, "Cy"))
        await to_first_question(cy)
        tg.files.fail_downloads(2)
        tg.files.hold_downloads()
        await cy.user.send_document(file_name="audit.pdf", data=AUDIT)
        # Typed while the file is still on its way: saved and acknowledged without waiting.
        (ack,) = await cy.say(ANSWERS[0])
        assert "audit.pdf" not in ack.text
        draft = await cy.draft(services)
        assert draft is not None and draft.answer("q1") == ANSWERS[0]
        assert await services.evidence.store.list_for(draft.reference) == []

        tg.files.release_downloads()
        said = shown(await cy.settle(1))
        assert said == texts.FILE_SAVED.format(
            name="audit.pdf", size=size_text(len(AUDIT)), question="Q1"
        )
        assert len(tg.files.downloads) == 1 and len(tg.calls("getFile")) == 3

        # Failing every time: the nominator is told, and nothing more is kept.
        tg.files.fail_downloads(10)
        said = await send_file(cy, file_name="chart.pdf", data=AUDIT + b"2")
        assert said == texts.FILE_FAILED.format(name="chart.pdf")
        kept = await services.evidence.store.list_for(draft.reference)
        assert [f.name for f in kept] == ["audit.pdf"]
        assert (await cy.draft(services)) == draft  # and no answer was touched


async def test_a_file_away_from_the_award_questions_says_where_files_go(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    async with running_bot(make_settings()) as services:
        di = Nominator(tg, tg.user(3004, "Di"))
        await di.start_individual()
        before = await di.draft(services)
        said = await send_file(di, file_name="audit.pdf", data=AUDIT)
        assert said == texts.FILE_NOT_HERE
        assert (await di.send_photo())[0].text == texts.FILE_NOT_HERE
        assert await di.draft(services) == before
        assert tg.calls("getFile") == []


async def test_deleting_a_draft_erases_its_files(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings()
    async with running_bot(settings) as services:
        ed = Nominator(tg, tg.user(3005, "Ed"))
        await to_first_question(ed)
        await send_file(ed, file_name="audit.pdf", data=AUDIT)
        draft = await ed.draft(services)
        assert draft is not None
        # Someone else's /removefile 1 reaches only their own (empty) list.
        fay = Nominator(tg, tg.user(3006, "Fay"))
        await to_first_question(fay)
        assert texts.FILE_NOT_FOUND in shown(await fay.say("/removefile 1", expect=2))
        assert len(await services.evidence.store.list_for(draft.reference)) == 1

        await ed.say("/delete")
        assert texts.DELETED in shown(await ed.tap(texts.DELETE_YES))
        assert await services.evidence.store.list_for(draft.reference) == []
        assert list((settings.database_path.parent / "evidence").iterdir()) == []


async def test_a_file_still_on_its_way_when_the_nomination_is_sent_is_left_out_and_said_so(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    async with running_bot(make_settings()) as services:
        gus = Nominator(tg, tg.user(3007, "Gus"))
        await to_first_question(gus)
        for answer in ANSWERS[:3]:
            await gus.say(answer)
            await gus.say("/done")
        tg.files.hold_downloads()
        await gus.user.send_document(file_name="late.pdf", data=AUDIT)
        await gus.say(ANSWERS[3])
        await gus.say("/done")
        await gus.tap(texts.BUTTON_YES)  # consent, then the review
        draft = await gus.draft(services)
        assert draft is not None
        await gus.tap(texts.SUBMIT_BUTTON)
        record = await services.store.get(draft.reference)
        assert record is not None and record.state.is_submitted  # every answer went
        assert record.state.answer("q4") == ANSWERS[3]
        tg.files.release_downloads()
        said = shown(await gus.settle(1))
        assert said == texts.FILE_TOO_LATE.format(name="late.pdf")
        assert list((services.evidence.store.folder).iterdir()) == []
