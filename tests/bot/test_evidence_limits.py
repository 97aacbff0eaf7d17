"""Supporting files tried as an attacker would (issue 20), through the real Application and the
strict fake Bot API: how many files a nomination and a question take, the same file sent twice,
files whose content is not what their name says, an empty file, and a file far bigger than
Telegram claimed, which is refused while it is still arriving."""

from __future__ import annotations

from bot.screens import texts
from flows.evidence import size_text
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import DETAILS, RELATIONSHIP, MakeSettings, Nominator, running_bot, shown
from tests.kit.samples import PAGE, SAMPLES

ANSWER = (
    "It changed how the whole ward works, and patients, families and staff all say that they "
    "can see and feel the difference every single day."
)
PDF = SAMPLES[".pdf"]


async def send(nominator: Nominator, name: str, data: bytes, **kwargs: object) -> str:
    await nominator.user.send_document(file_name=name, data=data, **kwargs)  # type: ignore[arg-type]
    return shown(await nominator.settle(1))


async def test_limits_duplicates_disguises_and_a_file_bigger_than_it_claims(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings(
        evidence_max_mb=1, evidence_max_files=3, evidence_max_files_per_question=2
    )
    async with running_bot(settings) as services:
        ana = Nominator(tg, tg.user(3101, "Ana"))
        await ana.start_individual()
        await ana.say_all(*DETAILS)
        await ana.say("/skip")
        await ana.say(RELATIONSHIP)  # now at Q1
        draft = await ana.draft(services)
        assert draft is not None

        # Content by signature: a web page named as a photo, a PDF that is also a web page, an
        # empty file (refused before any download, as Telegram says its size), a bare RIFF.
        for name, data, mime in (
            ("photo.heic", PAGE, "image/heic"),
            ("audit.pdf", b"%PDF-1.4\n" + PAGE, "application/pdf"),
            ("photo.webp", b"RIFF" + b"\x00" * 60, "image/webp"),
        ):
            said = await send(ana, name, data, mime_type=mime)
            assert said == texts.FILE_WRONG_TYPE.format(name=name), name
        downloads = len(tg.files.downloads)
        said = await send(ana, "empty.txt", b"", mime_type="text/plain")
        assert said == texts.FILE_EMPTY.format(name="empty.txt")
        assert len(tg.files.downloads) == downloads  # nothing fetched for it

        # Claimed 1,024 bytes, served 30 MB without a length: refused once past 1 MB, unread.
        tg.files.chunked = True
        huge = PDF + b"\x00" * (30 * 1024 * 1024)
        said = await send(ana, "scan.pdf", huge, file_size=1024)
        assert said == texts.FILE_TOO_BIG.format(name="scan.pdf", limit="1.0 MB")
        (path,) = [p for p, n in tg.files.served.items() if n]
        assert tg.files.served[path] < len(huge) // 2, (
            tg.files.served
        )  # hung up long before the end
        tg.files.chunked = False
        # The same lie with a Content-Length: refused on the header.
        said = await send(ana, "scan2.pdf", huge, file_size=1024)
        assert said == texts.FILE_TOO_BIG.format(name="scan2.pdf", limit="1.0 MB")
        assert await services.evidence.store.list_for(draft.reference) == []

        # The same bytes twice at Q1: kept once, and said so. Then Q1's limit of 2.
        said = await send(ana, "audit.pdf", PDF)
        assert said == texts.FILE_SAVED.format(
            name="audit.pdf", size=size_text(len(PDF)), question="Q1"
        )
        assert "bytes" in said  # a small file's size, never rounded up to "1 KB"
        said = await send(ana, "audit again.pdf", PDF)
        assert said == texts.FILE_AGAIN.format(name="audit.pdf", question="Q1")
        assert len(await services.evidence.store.list_for(draft.reference)) == 1
        await send(ana, "second.pdf", PDF + b"2")
        said = await send(ana, "third.pdf", PDF + b"3")
        assert said == texts.FILE_TOO_MANY_HERE.format(name="third.pdf", count=2, question="Q1")

        # At Q2, the nomination's limit of 3.
        await ana.say(ANSWER)
        await ana.say("/done")
        await send(ana, "fourth.pdf", PDF + b"4")
        said = await send(ana, "fifth.pdf", PDF + b"5")
        assert said == texts.FILE_TOO_MANY.format(name="fifth.pdf", count=3)
        kept = await services.evidence.store.list_for(draft.reference)
        assert [f.name for f in kept] == ["audit.pdf", "second.pdf", "fourth.pdf"]
        assert await ana.draft(services) is not None  # and nothing else changed
