"""End to end: the nominator proves their address with a code that really arrives by SMTP (a real
aiosmtpd on 127.0.0.1), typed back into the strict fake Telegram; or skips, and the organisers'
email says the address is not confirmed and no copy is sent."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import Services
from bot.screens import texts
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SmtpServer, text_body, wait_for_messages
from tests.kit.nominator import (
    DETAILS,
    NOMINEE,
    ORGANISERS,
    REFERENCE,
    RELATIONSHIP,
    MakeSettings,
    Nominator,
    last,
    running_bot,
    shown,
)

NOMINATOR_EMAIL = DETAILS[5]
CODE = re.compile(r"Your code is (\d{6})")
# Long enough for the form's 25 words.
ANSWER = (
    "She redesigned discharge planning on the ward and it changed how the whole ward works, and "
    "patients, families and staff all say they can see the difference every day."
)


@asynccontextmanager
async def bot_with_smtp(
    make_settings: MakeSettings, smtp_server: SmtpServer
) -> AsyncIterator[Services]:
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=smtp_server.port)
    assert settings.verify_nominator_email  # on by default
    async with running_bot(settings) as services:
        stop = asyncio.Event()
        worker = asyncio.create_task(services.worker.run(stop, idle_poll=0.2))
        try:
            yield services
        finally:
            stop.set()
            await worker


async def to_the_code(sam: Nominator) -> None:
    """From /start to the code screen."""
    await sam.start_individual()
    await sam.say_all(*DETAILS[:5])
    replies = await sam.say(NOMINATOR_EMAIL)
    assert texts.CODE_SENT_TITLE in shown(replies)
    assert NOMINATOR_EMAIL in shown(replies)


async def finish(sam: Nominator) -> str:
    await sam.say("/skip")  # the phone number is optional
    await sam.say(RELATIONSHIP)
    for _ in range(4):
        await sam.say(ANSWER)
        await sam.say("/done")
    await sam.tap(texts.BUTTON_YES)  # consent, asked last
    replies = await sam.tap(texts.SUBMIT_BUTTON)
    match = REFERENCE.search(last(replies).text)
    assert match is not None
    return shown(replies)


async def test_the_code_arrives_by_email_is_typed_back_and_the_copy_is_sent(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    async with bot_with_smtp(make_settings, smtp_server):
        # A stranger types Sam's address as their own and uses up their own codes on it...
        stranger = Nominator(tg, tg.user(2009, "Mallory"))
        await to_the_code(stranger)
        for _ in range(2):
            assert texts.CODE_SENT_TO.split("{")[0] in shown(
                await stranger.tap(texts.BUTTON_RESEND_CODE)
            )
        refused = shown(await stranger.tap(texts.BUTTON_RESEND_CODE))
        assert "we've sent 3 in the last hour" in refused
        await wait_for_messages(smtp_server, 3)
        # ...which leaves Sam's own codes untouched: the limit counts per asker.
        sam = Nominator(tg, tg.user(2001, "Sam"))
        await to_the_code(sam)
        await wait_for_messages(smtp_server, 4)
        code_email = smtp_server.handler.received[-1]
        assert code_email.rcpt_tos == [NOMINATOR_EMAIL]
        body = text_body(code_email.message)
        assert NOMINEE not in body and DETAILS[4] not in body  # nothing the nominator typed
        found = CODE.search(body)
        assert found is not None
        code = found.group(1)

        wrong = await sam.say(f"{(int(code) + 1) % 1_000_000:06d}")
        assert "4 tries left" in shown(wrong)
        confirmed = await sam.say(f"{code[:3]} {code[3:]}", expect=2)
        assert texts.EMAIL_CONFIRMED in shown(confirmed)

        submitted = await finish(sam)
        assert NOMINATOR_EMAIL in submitted
        await wait_for_messages(smtp_server, 6)

    received = {tuple(r.rcpt_tos): r for r in smtp_server.handler.received[4:]}
    assert set(received) == {ORGANISERS, (NOMINATOR_EMAIL,)}
    assert "not confirmed" not in received[ORGANISERS].message["Subject"]


async def test_skipping_the_code_sends_the_nomination_marked_and_no_copy(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    async with bot_with_smtp(make_settings, smtp_server) as services:
        sam = Nominator(tg, tg.user(2002, "Sam"))
        await to_the_code(sam)
        skipped = await sam.tap(texts.BUTTON_SKIP_CODE, expect=2)
        assert texts.EMAIL_SKIPPED in shown(skipped)

        submitted = await finish(sam)
        assert "not confirmed" in submitted
        await wait_for_messages(smtp_server, 2)
        queued = [row.kind.value for row in await services.store.outbox.rows()]
        assert queued == ["verify", "organisers"]  # no copy was queued

    recipients = [tuple(r.rcpt_tos) for r in smtp_server.handler.received]
    assert recipients == [(NOMINATOR_EMAIL,), ORGANISERS]  # the code, then the organisers only
    organisers = smtp_server.handler.received[1].message
    assert "email address not confirmed" in organisers["Subject"]
    assert "Email address not confirmed" in text_body(organisers)


async def test_a_confirmed_address_is_offered_again_and_an_unconfirmed_one_asked_afresh(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    """Issue 16: the next nomination offers the nominator's address with Keep only if it was
    confirmed; one whose code was skipped is asked again, so its code is asked for this time."""
    async with bot_with_smtp(make_settings, smtp_server):
        sam = Nominator(tg, tg.user(2003, "Sam"))
        await to_the_code(sam)
        await sam.tap(texts.BUTTON_SKIP_CODE, expect=2)
        await finish(sam)
        await sam.say("/new")
        await sam.tap("An individual")
        await sam.say_all(*DETAILS[:4])
        name = last(await sam.tap(texts.BUTTON_KEEP))  # the nominator's name, carried over
        assert texts.CURRENT_SHORT.split("{")[0] not in name.text  # the address: asked afresh
        assert texts.BUTTON_KEEP not in name.buttons
        assert texts.CODE_SENT_TITLE in shown(await sam.say(NOMINATOR_EMAIL))
        await wait_for_messages(smtp_server, 3)
        found = CODE.search(text_body(smtp_server.handler.received[-1].message))
        assert found is not None
        assert texts.EMAIL_CONFIRMED in shown(await sam.say(found.group(1), expect=2))
        submitted = await finish(sam)
        assert "not confirmed" not in submitted

        # Confirmed now: the third nomination offers it with Keep, and asks no code.
        await sam.say("/new")
        await sam.tap("An individual")
        await sam.say_all(*DETAILS[:4])
        email = last(await sam.tap(texts.BUTTON_KEEP))
        assert texts.CURRENT_SHORT.format(answer=NOMINATOR_EMAIL) in email.text
        after = shown(await sam.tap(texts.BUTTON_KEEP))
        assert texts.CODE_SENT_TITLE not in after
        assert "not confirmed" not in await finish(sam)
