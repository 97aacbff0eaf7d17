"""`/mydata`: everything the bot holds about one nominator, as a JSON document they can keep.

Each of their nominations, drafts and sent, with its answers, its files' names and sizes (not
their bytes) and each version sent. Supporting
statements' texts are never in it (they are their authors' words, not the nominator's). Only the
nominator's own nominations are read: `of_nominator` is keyed by the asker.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.services.ports import VersionStore
from flows.evidence import EvidenceFile
from flows.form import Form
from flows.journey import nominee_name
from storage.types import NominationRecord

JSON = dict[str, Any]
Files = Callable[[str], Awaitable[list[EvidenceFile]]]
Records = Callable[[str], Awaitable[list[NominationRecord]]]


def _time(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def answers(form: Form, record: NominationRecord) -> list[JSON]:
    """The answers given, in the form's order, each with the question's label."""
    given: list[JSON] = []
    for f in form.fields:
        answer = record.state.answer(f.id)
        if answer is not None:
            given.append({"field": f.id, "label": f.label, "answer": f.display(answer)})
    return given


def file_entry(file: EvidenceFile) -> JSON:
    return {
        "question": file.field_id,
        "name": file.name,
        "size_bytes": file.size,
        "type": file.media_type,
        "caption": file.caption,
        "added_at": _time(file.added_at),
    }


class MyData:
    """Builds a nominator's document from the stores' reads."""

    def __init__(
        self, form: Form, records: Records, files: Files, versions: VersionStore | None = None
    ) -> None:
        self._form = form
        self._records = records
        self._files = files
        self._kept = versions

    async def _versions(self, record: NominationRecord) -> list[JSON]:
        """Each version sent, answers as typed; with none kept (a draft never sent, or one sent
        before versions were kept), the one there is: the nomination as it is now."""
        kept = await self._kept.versions_of(record.state.reference) if self._kept else []
        if not kept:
            at = record.submitted_at or record.updated_at
            return [{"version": 1, "at": _time(at), "answers": answers(self._form, record)}]
        return [
            {
                "version": number,
                "at": at.isoformat(),
                "answers": {field_id: "\n\n".join(parts) for field_id, parts in given.items()},
            }
            for number, at, given in kept
        ]

    async def document(self, nominator: str, now: datetime) -> JSON:
        records = await self._records(nominator)
        nominations = [await self._nomination(record) for record in records]
        return {
            "about": f"All that the {self._form.title} nomination bot holds about you.",
            "made_at": _time(now),
            "you": nominator,
            "nominations": nominations,
        }

    async def _nomination(self, record: NominationRecord) -> JSON:
        state = record.state
        files = await self._files(state.reference)
        return {
            "reference": state.reference,
            "status": state.status.value,
            "nominee": nominee_name(self._form, state),
            "started_at": _time(record.created_at),
            "changed_at": _time(record.updated_at),
            "sent_at": _time(record.submitted_at),
            "answers": answers(self._form, record),
            "files": [file_entry(f) for f in files],
            "versions": await self._versions(record),
        }

    async def as_bytes(self, nominator: str, now: datetime) -> tuple[int, bytes]:
        """(how many nominations, the document as UTF-8 JSON)."""
        document = await self.document(nominator, now)
        text = json.dumps(document, ensure_ascii=False, indent=2)
        return len(document["nominations"]), text.encode("utf-8")
