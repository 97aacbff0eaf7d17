"""No screen that lists buttons made from data can pass Telegram's limits, whatever the data
(issue 20): the files list, /mynominations, /support and the review, built from generated data
of any size, fit on every page (bot.telegram.buttons.fits, the limits keyboard() guards), and
paging through them reaches every item once. keyboard() itself cuts a screen that would not fit,
and logs it as the bug it is."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.builder import ScreenBuilder
from bot.screens.files import listing
from bot.screens.nominations import NominationsList
from bot.screens.parts import Button, Screen
from bot.screens.statement_requests import overview
from bot.telegram.buttons import MAX_BUTTONS, fits, keyboard
from flows.evidence import EvidenceFile
from flows.form import Form, load_form
from flows.journey import outstanding
from flows.state import REVIEW, NominationState, Part, Status
from flows.statement import Requests
from storage.types import NominationRecord

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
QUICK = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def every_page(screen_of: object, action: Action) -> list[Screen]:
    """Page 1, then each page its Next button names, until there is none."""
    assert callable(screen_of)
    pages = [screen_of(1)]
    while next_page := [b for row in pages[-1].buttons for b in row if b.action is action]:
        forward = [b for b in next_page if b.label == texts.PAGE_NEXT]
        if not forward:
            break
        pages.append(screen_of(int(forward[0].arg)))
        assert len(pages) < 500
    return pages


def pressed(pages: list[Screen], action: Action) -> list[str]:
    return [
        b.arg or (b.ref or "")
        for s in pages
        for row in s.buttons
        for b in row
        if b.action is action
    ]


def file(n: int, field_id: str) -> EvidenceFile:
    return EvidenceFile(
        n, "LSI-7K3Q9M", field_id, f"scan {n}.pdf", None, "application/pdf", 10, "0" * 64, AT
    )


@QUICK
@example(count=250, questions=["story"])
@given(count=st.integers(0, 260), questions=st.lists(st.sampled_from(["story", "q2"]), min_size=1))
def test_the_files_list_fits_on_every_page_and_reaches_every_file(
    tiny_form: Form, count: int, questions: list[str]
) -> None:
    files = [file(n + 1, questions[n % len(questions)]) for n in range(count)]
    pages = every_page(lambda p: listing(tiny_form, "LSI-7K3Q9M", files, p), Action.FILES_PAGE)
    assert all(fits(page) for page in pages)
    assert pressed(pages, Action.REMOVE_FILE) == [str(f.id) for f in files]


def record(n: int, status: Status, amending: bool) -> NominationRecord:
    state = NominationState(
        form_id="lsi", form_version=1, reference=f"LSI-{n:06d}", position="q1", status=status
    )
    return NominationRecord(state, "tg:1", AT, AT, AT, 1 if amending else None)


@QUICK
@example(kinds=[(Status.SUBMITTED, False)] * 120)
@given(kinds=st.lists(st.tuples(st.sampled_from(list(Status)), st.booleans()), max_size=150))
def test_mynominations_fits_on_every_page_and_reaches_every_nomination(
    screens: ScreenBuilder, kinds: list[tuple[Status, bool]]
) -> None:
    records = [record(n, status, amending) for n, (status, amending) in enumerate(kinds)]
    listed = NominationsList(screens.wording)
    pages = every_page(lambda p: listed.screen(records, p), Action.LIST_PAGE)
    assert all(fits(page) for page in pages)
    named = {b.ref for s in pages for row in s.buttons for b in row if b.ref}
    assert named == {
        f"{n:06d}" for n, (status, _) in enumerate(kinds) if status is not Status.WITHDRAWN
    }
    assert all(any(b.action is Action.ANOTHER for row in s.buttons for b in row) for s in pages)


@QUICK
@example(waiting=[150, 0, 3])
@given(waiting=st.lists(st.integers(0, 150), max_size=30))
def test_support_fits_on_every_page_and_reaches_every_link(waiting: list[int]) -> None:
    requests = [
        Requests(f"LSI-{n:06d}", "Priya", 0, tuple(f"t{n}-{k}" for k in range(links)))
        for n, links in enumerate(waiting)
    ]
    pages = every_page(lambda p: overview(requests, 200, p), Action.SUPPORT_PAGE)
    assert all(fits(page) for page in pages)
    tokens = pressed(pages, Action.SUPPORT_CANCEL)
    assert tokens == [t for r in requests for t in r.waiting]


def many_questions(tmp_path: Path, count: int) -> Form:
    """The tiny form with `count` more award questions."""
    base = Path(__file__).resolve().parent.parent / "forms" / "tiny.toml"
    extra = "\n".join(
        f'[[sections.fields]]\nid = "extra{n}"\nkind = "long_text"\nnumber = "E{n}"\n'
        f'label = "E{n} More"\nprompt = "Anything more ({n})?"\nrequired = false\n'
        for n in range(count)
    )
    path = tmp_path / "many.toml"
    path.write_text(base.read_text() + "\n" + extra)
    return load_form(path)


@pytest.mark.parametrize("count", [0, 60, 130])
def test_the_review_fits_on_every_page_and_offers_every_change(tmp_path: Path, count: int) -> None:
    form = many_questions(tmp_path, count)
    answers = {f.id: "Yes, and a long story. " * 200 for f in form.fields if f.is_long}
    state = NominationState(
        form_id=form.id, form_version=form.version, reference="TY-7K3Q9M", position=REVIEW,
        status=Status.DRAFT, answers={k: (Part(text=v),) for k, v in answers.items()},
    )  # fmt: skip
    builder = ScreenBuilder(form)
    problems = outstanding(form, state)
    pages = every_page(lambda p: builder.review(state, problems, p), Action.REVIEW_PAGE)
    assert all(fits(page) for page in pages)
    changes = {b.arg for s in pages for row in s.buttons for b in row if b.action is Action.EDIT}
    assert {f.id for f in form.fields if f.is_long} <= changes
    assert all(s.buttons[0][0].action in (Action.SUBMIT, Action.EDIT) for s in pages)


def test_keyboard_cuts_a_screen_past_the_limits_and_logs_the_bug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rows = tuple((Button(f"B{n}", Action.REMOVE_FILE, str(n), "7K3Q9M"),) for n in range(150))
    wide = (tuple(Button(f"W{n}", Action.HELP) for n in range(12)),)
    last = ((Button(texts.PAGE_NEXT, Action.FILES_PAGE, "2", "7K3Q9M"),),)
    screen = Screen((), wide + rows + last)
    assert not fits(screen)
    with caplog.at_level(logging.ERROR, logger="bot.telegram.buttons"):
        markup = keyboard(screen)
    assert markup is not None
    kept = markup.inline_keyboard
    assert sum(len(row) for row in kept) <= MAX_BUTTONS and all(len(row) <= 8 for row in kept)
    assert kept[-1][0].text == texts.PAGE_NEXT  # the way on is kept
    assert "163 buttons" in caplog.text
