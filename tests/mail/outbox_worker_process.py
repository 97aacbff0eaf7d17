"""One outbox pass in a process of its own, for the crash-window test, which SIGKILLs it mid-send.

Usage: python outbox_worker_process.py DATABASE_PATH SMTP_PORT
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from mail.delivery import OutboxWorker, SmtpConfig, SmtpTransport
from storage import NominationStore


async def main(database: Path, port: int) -> None:
    async with await NominationStore.open(database) as store:
        config = SmtpConfig(host="127.0.0.1", port=port, starttls=False, timeout=10)
        await OutboxWorker(store.outbox, SmtpTransport(config)).run_once()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2])))
