"""Control characters are stripped where typed text comes in; what real names and scripts need
stays. Bidi overrides are kept as typed but never reach what others read."""

from __future__ import annotations

from bot.services.nominating import NominationService
from flows.events import Answer, Revise
from flows.form import Form
from flows.text import label, typed, without_overrides
from tests.unit.fakes import FakeDraftStore

ESC_COLOUR = "\x1b[31mred\x1b[0m"
OSC_52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # asks a terminal to put text on the clipboard
# Right-to-left Arabic and Hebrew, a ZWJ emoji sequence (woman health worker), a combining acute
# accent, a zero-width non-joiner (Persian), and the implicit direction marks LRM and RLM.
REAL = "مريم כהן 👩\u200d⚕️ Jose\u0301 می\u200cخواهم \u200e\u200f"


def test_typed_strips_terminal_escapes_bell_and_nul_but_keeps_line_breaks_and_tabs() -> None:
    text = f"Sam{ESC_COLOUR}\x00\x07 {OSC_52}line\r\nnext\ttab\x85\x9b"

    assert typed(text) == "Sam[31mred[0m ]52;c;ZWNobyBwd25lZA==line\nnext\ttab"
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in typed(text))


def test_typed_keeps_right_to_left_text_zero_width_joiners_and_combining_marks() -> None:
    assert typed(REAL) == REAL


def test_without_overrides_removes_embeddings_overrides_and_isolates_only() -> None:
    overrides = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])

    assert without_overrides(f"Sam{overrides} Jones") == "Sam Jones"
    assert without_overrides(REAL) == REAL


async def test_answers_and_edits_are_stripped_before_they_are_saved(
    service: NominationService, store: FakeDraftStore, tiny_form: Form
) -> None:
    await service.continue_nomination("n1")
    await service.apply("n1", Answer("colleague"))
    await service.apply("n1", Answer(f"Alex{OSC_52}\x00 Jones{ESC_COLOUR}", source="m1"))
    saved = await store.active_draft("n1")
    assert saved is not None
    assert saved.answer("colleague_name") == "Alex]52;c;ZWNobyBwd25lZA== Jones[31mred[0m"

    await service.apply("n1", Revise("m1", f"\x1b[2J{REAL}\x07"))

    revised = await store.active_draft("n1")
    assert revised is not None and revised.answer("colleague_name") == f"[2J{REAL}"


def test_a_files_name_and_caption_lose_controls_and_overrides_alike() -> None:
    assert label("cap\x1b[2J\x07\x00 … \u202egnp.exe") == "cap[2J … gnp.exe"
    assert label("scan\u202egpj.pdf") == "scangpj.pdf"
    assert label(REAL) == REAL  # right-to-left letters, joiners and accents are kept
