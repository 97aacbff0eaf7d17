"""Screens as Telegram HTML: split within 4096 UTF-16 units, never inside a tag, text exact; and
button callback data within Telegram's 64 bytes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.conversation import Press
from bot.screens.actions import Action
from bot.screens.parts import ANY_POSITION, REVIEW_POSITION, Paragraph, Screen, Span, Style, Subject
from bot.telegram.buttons import decode, encode
from bot.telegram.html import MESSAGE_LIMIT, screen_messages, split_text
from flows.form import load_form
from tests.kit.fake_telegram import parse_html, utf16_length

FORM = load_form()
LIMIT = MESSAGE_LIMIT


def parsed_messages(screen: Screen) -> list[str]:
    """The screen's messages as the user reads them; each must parse strictly and fit."""
    shown = []
    for html in screen_messages(screen):
        text = parse_html(html, strict=True).text
        assert 1 <= utf16_length(text) <= LIMIT
        shown.append(text)
    return shown


def quotes(html: str) -> list[str]:
    parsed = parse_html(html, strict=True)
    units = parsed.text.encode("utf-16-le")
    return [
        units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in parsed.entities
        if e["type"] == "blockquote"
    ]


def assert_pieces_make(pieces: list[str], text: str, *, whole_words: bool = False) -> None:
    """`pieces`, in order, are all of `text`, cut only where it has whitespace."""
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        assert found >= 0 and not text[at:found].strip(), f"{piece[:40]!r} out of place"
        at = found + len(piece)
        if whole_words and at < len(text):
            assert text[at].isspace(), f"a word broken at {text[at - 10 : at + 10]!r}"
    assert not text[at:].strip()


def test_a_short_screen_is_one_message_escaped_once() -> None:
    screen = Screen(
        (
            (Span("Check <b>this</b> & that", Style.BOLD),),
            (Span("Name: ", Style.BOLD), Span('"Zoë" <O\'Brien> &amp; co')),
            (Span("a < b > c", Style.QUOTE),),
        )
    )
    (html,) = screen_messages(screen)
    assert html == (
        "<b>Check &lt;b&gt;this&lt;/b&gt; &amp; that</b>\n\n"
        '<b>Name: </b>"Zoë" &lt;O\'Brien&gt; &amp;amp; co\n\n'
        "<blockquote>a &lt; b &gt; c</blockquote>"
    )
    assert parsed_messages(screen) == [screen.plain_text]


def test_a_ten_thousand_character_quote_is_split_into_whole_quotes() -> None:
    sentence = "Ward 7 cut delays <by half> & kept them down. "
    answer = (sentence * (10_000 // len(sentence) + 1))[:10_000].strip()
    screen = Screen(((Span("Q1 Leading", Style.BOLD),), (Span(answer, Style.QUOTE),)))
    html = screen_messages(screen)
    shown = parsed_messages(screen)
    # The title can't share a message with a full 4096-unit piece, so it goes alone.
    assert shown[0] == "Q1 Leading"
    pieces = [q for message in html[1:] for q in quotes(message)]
    assert [utf16_length(p) > 4000 for p in pieces] == [True, True, False]
    assert len(html) == 4
    assert_pieces_make(pieces, answer, whole_words=True)


@pytest.mark.parametrize("before", [LIMIT - 1, LIMIT - 2, LIMIT - 3])
def test_surrogate_pairs_at_the_boundary_are_never_split(before: int) -> None:
    # No spaces at all: the cut has to fall between characters, never inside a pair.
    text = "a" * before + "😀🇬🇧👩🏽‍⚕️" * 50
    pieces = split_text(text, LIMIT)
    assert "".join(pieces) == text
    for piece in pieces:
        piece.encode("utf-8")  # a lone surrogate would not encode
        assert utf16_length(piece) <= LIMIT
    assert utf16_length(pieces[0]) in (LIMIT, LIMIT - 1)
    assert parsed_messages(Screen(((Span(text, Style.QUOTE),),))) == pieces


def test_astral_characters_only() -> None:
    text = "😀" * 5_000  # 10,000 UTF-16 units
    pieces = split_text(text, LIMIT)
    assert [utf16_length(p) for p in pieces] == [4096, 4096, 1808]
    assert "".join(pieces) == text


def test_many_short_paragraphs_are_packed_whole_and_in_order() -> None:
    paragraphs = [f"Paragraph {n}: <{n}> & more text 👍" for n in range(1_000)]
    screen = Screen(
        tuple(
            (Span(p, Style.BOLD if n % 3 == 0 else Style.PLAIN),) for n, p in enumerate(paragraphs)
        )
    )
    shown = parsed_messages(screen)
    assert len(shown) > 1
    assert [p for message in shown for p in message.split("\n\n")] == paragraphs
    # Packed: each message but the last would overflow with the next paragraph added, or with
    # the next heading and the paragraph it introduces (a heading moves on with its paragraph).
    headings = {p for n, p in enumerate(paragraphs) if n % 3 == 0}
    for message, following in itertools.pairwise(shown):
        first, *rest = following.split("\n\n")
        moved_on = "\n\n".join([first, rest[0]]) if first in headings and rest else first
        assert utf16_length(message) + 2 + utf16_length(moved_on) > LIMIT
        assert message.split("\n\n")[-1] not in headings


def test_a_heading_moves_on_with_the_paragraph_it_introduces() -> None:
    screen = Screen(
        (
            (Span("a" * 4000),),
            (Span("Q1 How have they led?", Style.BOLD),),
            (Span("b" * 200, Style.QUOTE),),
        )
    )
    first, second = parsed_messages(screen)
    assert first == "a" * 4000
    assert second.startswith("Q1 How have they led?\n\n")


def test_exactly_the_limit_is_one_message_and_one_more_is_two() -> None:
    assert len(screen_messages(Screen(((Span("x" * LIMIT),),)))) == 1
    assert len(screen_messages(Screen(((Span("x" * (LIMIT - 1) + "😀"),),)))) == 2
    assert len(screen_messages(Screen(((Span("&" * LIMIT),),)))) == 1  # counted unescaped


def test_an_over_long_paragraph_of_several_styles_stays_well_formed() -> None:
    paragraph: Paragraph = (
        Span("Label: ", Style.BOLD),
        Span("word " * 1_000, Style.ITALIC),
        Span("<tail> & end"),
    )
    shown = parsed_messages(Screen((paragraph,)))
    assert "".join("".join(shown).split()) == "".join("".join(s.text for s in paragraph).split())


TOKENS = [*"ab <>&\"'\n\t", "😀", "👩🏽\u200d⚕️", "🇬🇧", "مر", "ש", "\u200f", "word ", "\n\n"]
TEXT = (
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=400)
    .map("".join)
    .filter(lambda t: t.strip() != "")
)
SPAN = st.builds(Span, TEXT, st.sampled_from(list(Style)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(SPAN, min_size=1, max_size=3).map(tuple), min_size=1, max_size=25))
def test_any_screen_parses_fits_and_keeps_its_text(paragraphs: list[Paragraph]) -> None:
    screen = Screen(tuple(paragraphs))
    shown = parsed_messages(screen)
    assert "".join("".join(m.split()) for m in shown) == "".join(screen.plain_text.split())


# --------------------------------------------------------------------- callback data


def test_callback_data_round_trips_for_every_action_and_field() -> None:
    positions = [ANY_POSITION, REVIEW_POSITION, *map(str, range(len(FORM.fields)))]
    args = ["", *(f.id for f in FORM.fields), *(o.value for f in FORM.fields for o in f.options)]
    for action in Action:
        for pos in positions:
            for arg in args:
                press = Press(action, arg, "7K3Q9M", pos)
                encoded = encode(press)
                assert decode(encoded) == press
                assert 1 <= len(encoded.encode("utf-8")) <= 64


def test_a_statement_button_round_trips_within_64_bytes() -> None:
    longest_id = max((f.id for f in FORM.fields), key=len)
    press = Press(Action.EDIT, longest_id, "T" * 16, "3", Subject.STATEMENT)
    encoded = encode(press)
    assert decode(encoded) == press and len(encoded.encode("utf-8")) <= 64


def test_the_longest_button_fits_in_64_bytes() -> None:
    longest_id = max((f.id for f in FORM.fields), key=len)
    data = encode(Press(Action.CONFIRM, longest_id, "W" * 6, str(len(FORM.fields) - 1)))
    assert len(data.encode("utf-8")) <= 64


@pytest.mark.parametrize("data", ["", "junk", "a:b:c", "7K3Q9M:R:not-an-action:", "::::"])
def test_callback_data_from_elsewhere_is_refused(data: str) -> None:
    assert decode(data) is None


def test_an_argument_may_contain_colons() -> None:
    press = Press(Action.ANSWER, "a:b", "7K3Q9M", "3")
    assert decode(encode(press)) == press
