"""A bare python-telegram-bot echo bot: the baseline for bench/telegram_throughput.py.

It echoes each text with an inline keyboard of the labels the benchmark presses, and answers
each button press with a message, so it serves the same script of updates as the nomination bot.
Usage: TELEGRAM_API_BASE_URL=... python bench/echo_bot.py TOKEN LABEL [LABEL ...]
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters


async def main(base_url: str, token: str, labels: list[str]) -> None:
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=label[:60])] for label in labels]
    )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.text:
            await message.reply_text(message.text, reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is not None and update.effective_chat is not None:
            await query.answer()
            await context.bot.send_message(
                update.effective_chat.id, query.data or "?", reply_markup=keyboard
            )

    builder = Application.builder().token(token).base_url(base_url)
    if os.environ.get("ECHO_RATE_LIMITER"):
        from telegram.ext import AIORateLimiter

        builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=3))
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(pressed))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with application:
        await application.start()
        updater = application.updater
        if updater is None:
            raise RuntimeError("no updater")
        await updater.start_polling()
        print("ready", flush=True)
        await stop.wait()
        await updater.stop()
        await application.stop()


if __name__ == "__main__":
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    asyncio.run(main(os.environ["TELEGRAM_API_BASE_URL"], sys.argv[1], sys.argv[2:]))
