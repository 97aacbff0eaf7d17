"""`/mydata`: everything the bot holds about one person, as a JSON document they can keep.

A person may be a nominator, a colleague who wrote a supporting statement, or (later) a judge or
a nominee: each kind of data held is one section of the document, a list under its own key, made
by one `Section` (`MyData.holds` adds another). Every section is read by the asker's own key, so
nothing of anyone else's is in it.

- `nominations`: each of their nominations, drafts and sent, with its answers, its files' names
  and sizes (not their bytes) and each version sent. Supporting statements' texts are never in
  it (they are their authors' words, not the nominator's).
- `supporting_statements`: each statement they wrote or began, with what they wrote (name, role,
  relationship, statement), its nominee and dates; never the nomination's answers, reference or
  nominator, which the colleague was never shown.
- `judging`: each award panel they were on (name, role, organisation they gave), with the
  scores and comment they submitted for each nomination and any conflict they declared.
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
from storage.judging import Judge, JudgingStore
from storage.statements import SupportLink
from storage.types import NominationRecord

JSON = dict[str, Any]
Files = Callable[[str], Awaitable[list[EvidenceFile]]]
Records = Callable[[str], Awaitable[list[NominationRecord]]]
Links = Callable[[str], Awaitable[list[SupportLink]]]
Record = Callable[[str], Awaitable[NominationRecord | None]]
Section = Callable[[str], Awaitable[list[JSON]]]
"""One kind of data held about a person, by their key: the entries of one list in the document."""


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
    """Builds a person's document from the stores' reads, one section for each kind of data."""

    def __init__(
        self, form: Form, records: Records, files: Files, versions: VersionStore | None = None
    ) -> None:
        self._form = form
        self._records = records
        self._files = files
        self._kept = versions
        self._sections: dict[str, Section] = {"nominations": self._nominations}

    def holds(self, key: str, section: Section) -> None:
        """Another kind of data held about people (supporting statements, a judge's scores, a
        nominee's approval), under `key` in the document."""
        self._sections[key] = section

    def holds_statements(self, statement_form: Form, links: Links, record: Record) -> None:
        """Colleagues' supporting statements, read by the colleague's key (`record`: the
        nomination a statement is for, by reference, for its nominee's name)."""
        held = StatementsHeld(self._form, statement_form, links, record)
        self.holds("supporting_statements", held)

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

    async def document(self, person: str, now: datetime) -> JSON:
        held = {key: await section(person) for key, section in self._sections.items()}
        return {
            "about": f"All that the {self._form.title} nomination bot holds about you.",
            "made_at": _time(now),
            "you": person,
            **held,
        }

    async def _nominations(self, nominator: str) -> list[JSON]:
        return [await self._nomination(record) for record in await self._records(nominator)]

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

    async def as_bytes(self, person: str, now: datetime) -> tuple[dict[str, int], bytes]:
        """(how many entries of each section, the document as UTF-8 JSON)."""
        document = await self.document(person, now)
        text = json.dumps(document, ensure_ascii=False, indent=2)
        return {key: len(document[key]) for key in self._sections}, text.encode("utf-8")


class StatementsHeld:
    """The supporting statements a colleague wrote or began: what they wrote, for whom, when."""

    def __init__(self, form: Form, statement_form: Form, links: Links, record: Record) -> None:
        self._form = form
        self._statement_form = statement_form
        self._links = links
        self._record = record

    async def __call__(self, colleague: str) -> list[JSON]:
        return [await self._entry(link) for link in await self._links(colleague)]

    async def _entry(self, link: SupportLink) -> JSON:
        record = await self._record(link.reference)
        written = link.answers
        answers = [
            {"field": f.id, "label": f.label, "answer": written[f.id]}
            for f in self._statement_form.fields
            if f.id in written
        ]
        return {
            "nominee": None if record is None else nominee_name(self._form, record.state),
            "status": link.status.value,
            "sent_at": _time(link.sent_at),
            "answers": answers,
        }


class JudgingHeld:
    """A judge's data: their panel places, and their scores, comments and recusals."""

    def __init__(self, judging: JudgingStore) -> None:
        self._judging = judging

    async def __call__(self, person: str) -> list[JSON]:
        telegram_id = person.removeprefix("tg:")
        if not telegram_id.isdigit():
            return []
        return [await self._entry(j) for j in await self._judging.judges_of(int(telegram_id))]

    async def _entry(self, judge: Judge) -> JSON:
        scoring = self._judging.scoring
        scored = [a for a in await scoring.assigned_to(judge.id) if a.scored]
        recusals = [r for r in await scoring.recusals(judge.form_id) if r.judge_id == judge.id]
        return {
            "award": judge.form_id,
            "name": judge.name,
            "role": judge.role,
            "organisation": judge.organisation,
            "joined_at": _time(judge.joined_at),
            "removed_at": _time(judge.removed_at),
            "scores": [
                {
                    "nomination": a.reference,
                    "scores": dict(a.scores),
                    "comment": a.comment,
                    "scored_at": _time(a.scored_at),
                }
                for a in scored
            ],
            "conflicts_declared": [
                {"nomination": r.reference, "reason": r.reason, "at": _time(r.at)} for r in recusals
            ],
        }
