"""The panel pack as organisers make it (`python -m bot export --format html`) prints each sent
supporting statement under its nomination, and nothing of one still being written."""

from __future__ import annotations

from pathlib import Path

from flows.engine import handle
from flows.events import Answer, Done
from flows.form import Form
from flows.statement import load_statement_form, new_statement
from storage import NominationStore
from tests.kit.organiserkit import submit
from tests.organisers.test_organiser_cli import ANSWERS, AT, run_bot

SENT = {
    "name": "Dr Ama Owusu",
    "role": "Consultant",
    "relationship": "I chair the audit group",
    "statement": "Her audit changed how the whole trust runs ward rounds.",
}
HALF_WRITTEN = {"name": "Jo Bloggs", "role": "Hospital porter"}


async def test_the_panel_pack_prints_sent_statements_only(
    store: NominationStore, form: Form, tmp_path: Path
) -> None:
    state = await submit(store, form, AT, **ANSWERS)
    form_of_statement = load_statement_form(300)
    written = {}
    for token, answers in (("sent-token", SENT), ("writing-token", HALF_WRITTEN)):
        await store.support.create(state.reference, token, at=AT, maximum=3)
        statement = new_statement(form_of_statement, state.reference)
        assert await store.support.claim(token, f"tg:{len(token)}", statement)
        for event in (*map(Answer, answers.values()), Done()):
            statement = handle(form_of_statement, statement, event).state
        assert await store.support.save(token, f"tg:{len(token)}", statement)
        written[token] = statement
    assert await store.support.send("sent-token", "tg:10", written["sent-token"], at=AT, maximum=3)

    out = tmp_path / "pack.html"
    result = run_bot(tmp_path, "export", "--format", "html", "--output", str(out), "--for-panel")
    assert result.returncode == 0, result.stderr
    pack = out.read_text("utf-8")
    assert "Supporting statement 1" in pack and "Supporting statement 2" not in pack
    assert all(answer in pack for answer in SENT.values())
    assert "Jo Bloggs" not in pack and "Hospital porter" not in pack
