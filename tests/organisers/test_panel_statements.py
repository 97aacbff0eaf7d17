"""The panel pack as organisers make it (`python -m bot export --format html`) prints each sent
supporting statement under its nomination, and nothing of one still being written."""

from __future__ import annotations

from pathlib import Path

from flows.form import Form
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
    for token, answers in (("sent-token", SENT), ("writing-token", HALF_WRITTEN)):
        await store.support.create(state.reference, token, at=AT, maximum=3)
        assert await store.support.claim(token, f"tg:{len(token)}", "name")
        assert await store.support.save(token, f"tg:{len(token)}", "review", answers)
    assert await store.support.send("sent-token", "tg:10", at=AT, maximum=3)

    out = tmp_path / "pack.html"
    result = run_bot(tmp_path, "export", "--format", "html", "--output", str(out), "--for-panel")
    assert result.returncode == 0, result.stderr
    pack = out.read_text("utf-8")
    assert "Supporting statement 1" in pack and "Supporting statement 2" not in pack
    assert all(answer in pack for answer in SENT.values())
    assert "Jo Bloggs" not in pack and "Hospital porter" not in pack
