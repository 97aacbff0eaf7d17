"""The .eml copies of a nomination's emails in MAIL_OUTBOX_DIR, and erasing them.

Without SMTP, `FileTransport` writes each email as `<reference>-<kind>….eml` in the folder; each
holds the nomination's text, so erasing a nomination (a purge, a withdrawal) erases its copies
too. Whatever the transport now, the folder is looked in: files written before SMTP was set up
hold the same text.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Collection
from pathlib import Path

from storage.types import EmailKind


class SavedEmails:
    """The .eml files in one folder, by the nomination they belong to."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def of(self, reference: str, kinds: Collection[EmailKind] = tuple(EmailKind)) -> list[Path]:
        """The files of this nomination's emails of these kinds (every kind unless given)."""
        if not self.directory.is_dir():
            return []
        found: set[Path] = set()
        for kind in kinds:
            # FileTransport.path_for: the name starts with the reference and the kind, then a
            # dash or the end; no reference or kind begins another, so nothing else matches.
            base = f"{reference}-{kind.value}"
            found.update(self.directory.glob(f"{base}.eml"))
            found.update(self.directory.glob(f"{base}-*.eml"))
        return sorted(found)

    async def erase(self, reference: str, kinds: Collection[EmailKind] = tuple(EmailKind)) -> int:
        """Delete this nomination's files of these kinds; how many went."""
        return await asyncio.to_thread(self._erase, reference, kinds)

    def _erase(self, reference: str, kinds: Collection[EmailKind]) -> int:
        erased = 0
        for path in self.of(reference, kinds):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                erased += 1
        return erased


# A withdrawal keeps its own "was withdrawn" email (a reference and a date, none of the answers).
HOLDING_ANSWERS = tuple(kind for kind in EmailKind if kind is not EmailKind.WITHDRAWN)
