"""Issue 7's corrections at the terminal, typed into a real pseudo-terminal: delete and Start
again ask through the engine (numbered, and a typed yes answers), Change replaces and "add" adds,
text typed at the review is offered, Keep is typed "keep", and the end screen and the log lines
read right for a terminal."""

from __future__ import annotations

import re
from pathlib import Path

from bot.screens import texts
from bot.screens.menus import in_terminal_words
from flows.state import Confirmation
from tests.console.pty_console import PtyConsole, console_env
from tests.console.test_console_e2e import DECLARATION, DETAILS, FILLER, question_lines
from tests.kit.nominator import NOMINEE

SHORTER = (
    "She led the ward to a new discharge pathway that patients and staff say works better for "
    "everyone, and it has lasted for over a year now."
)


def choice(shown: str, label: str) -> str:
    """The number the terminal gave the option `label`."""
    match = re.search(rf"(\d+)\) {re.escape(label)}\n", shown)
    assert match is not None, f"no option {label!r} in:\n{shown}"
    return match.group(1)


def test_delete_asks_and_a_typed_yes_answers_it(tmp_path: Path) -> None:
    with PtyConsole(tmp_path) as term:
        term.until_prompt()
        term.say_all(*DETAILS[:4])  # now asked for the organisation
        shown = term.say("delete")
        assert f"Delete your nomination for {NOMINEE} (LSI-" in shown
        assert f"1) {texts.DELETE_YES}" in shown and f"2) {texts.DELETE_NO}" in shown
        assert "Type:" not in shown
        assert texts.CONFIRM_AGAIN in term.say("Leeds")
        shown = term.say("no")
        assert texts.KEPT[Confirmation.DELETE] in shown and "organisation" in shown
        term.say("delete")
        shown = term.say("yes")
        assert texts.DELETED_TO.format(start="type start") in shown
        assert "/start" not in shown
        assert "Organisation: yes" not in term.transcript
        term.quit()


def test_corrections_at_the_terminal(tmp_path: Path) -> None:
    with PtyConsole(tmp_path) as term:
        term.until_prompt()
        term.say_all(*DETAILS, FILLER, "done")  # Q1 answered, now at Q2
        review = term.say("review")

        # Change replaces; "add" adds.
        shown = term.say(choice(review, "Change: Q1"))
        replacing = in_terminal_words(texts.REPLACING)
        assert replacing == "Type your new answer. It replaces the one below."  # not "Send"
        assert replacing in shown and "add" in shown
        assert "Saved: 27 of 500 words" in term.say(SHORTER)
        review = term.say("review")
        term.say(choice(review, "Change: Q1"))
        shown = term.say("add")
        assert texts.CURRENT_ANSWER in shown and replacing not in shown
        assert "Saved: 30 of 500 words" in term.say("And it lasted.")

        # Start again asks first, as numbered options; "2" keeps the answer.
        shown = term.say("clear")
        assert "Clear your 30-word answer to Q1?" in shown
        assert "Type:" not in shown
        assert texts.KEPT[Confirmation.CLEAR] in term.say(choice(shown, "No, keep it"))

        # Keep is named as the terminal offers it, typed "keep" (issue 16, item 8).
        review = term.say("review")
        shown = term.say(choice(review, "Change: Nominee"))
        assert "or type keep to leave it" in shown and "Type: keep" in shown
        assert "choose Keep" not in shown
        assert "Check your nomination" in term.say("keep")

        # Text typed at the review is offered for the first unanswered question.
        shown = term.say(SHORTER)
        assert "Save this as your answer to Q2?" in shown
        assert "Saved: 27 of 500 words" in term.say(choice(shown, "Yes, save it"))
        term.quit()


def test_the_end_screen_and_the_logs_suit_a_terminal(tmp_path: Path) -> None:
    with PtyConsole(tmp_path) as term:
        term.until_prompt()
        term.say_all(*DETAILS, *question_lines("q1", "q2", "q3", "q4"), *DECLARATION)
        shown = term.say("1")  # Submit
        assert texts.SUBMITTED in shown
        assert texts.SUBMITTED_AGAIN_TO.format(start="type start") in shown
        term.quit()
    assert "/start" not in term.transcript
    # The emails' log lines went to the log file, not into the conversation.
    log = (tmp_path / "nominations.log").read_text()
    assert "sent (attempt 1)" in log
    assert "sent (attempt" not in term.transcript and " INFO " not in term.transcript


def test_a_fresh_machine_says_where_the_organisers_email_goes(tmp_path: Path) -> None:
    # `make run` with no config.env: no ORGANISER_EMAILS and no SMTP. One plain line says the
    # organisers' email goes to a placeholder, as a file (issue 16); then the award, no log line.
    with PtyConsole(tmp_path, unset=("ORGANISER_EMAILS",)) as term:
        shown = term.until_prompt()
        term.quit()
    first, rest = shown.lstrip().split("\n", 1)
    assert first.startswith("ORGANISER_EMAILS is not set") and "organisers@example.invalid" in first
    assert rest.lstrip().startswith("Leading for Service Improvement and Innovation")
    assert "WARNING" not in term.transcript


def unwrapped(text: str) -> str:
    """Text without its whitespace: the terminal wraps long lines, a long path included."""
    return "".join(text.split())


def test_a_fresh_trial_writes_the_organisers_email_and_says_so(tmp_path: Path) -> None:
    """Issue 16: with no ORGANISER_EMAILS and no SMTP, the organisers' email is still written,
    to a placeholder, and the screens say the emails were saved as files, not sent."""
    folder = tmp_path / "outbox"
    with PtyConsole(tmp_path, unset=("ORGANISER_EMAILS",)) as term:
        term.until_prompt()
        term.say_all(*DETAILS, *question_lines("q1", "q2", "q3", "q4"))
        review = term.say(DECLARATION[0])
        assert unwrapped(texts.TRIAL_REVIEW.format(folder=folder)) in unwrapped(review)
        # In the terminal's words: Submit is typed, not chosen.
        assert "All done. Type submit to send it" in " ".join(review.split())
        shown = unwrapped(term.say("1"))  # Submit
        assert unwrapped(texts.TRIAL_SUBMITTED.format(folder=folder)) in shown
        assert "onitsway" not in shown
        term.quit()
    written = [p.read_text() for p in folder.glob("*.eml")]
    assert any("To: organisers@example.invalid" in email for email in written), written
    assert len(written) == 2  # the organisers' email and the nominator's copy


def test_status_with_no_draft_is_one_short_line_however_it_is_typed(tmp_path: Path) -> None:
    with PtyConsole(tmp_path) as console:
        welcome = console.until_prompt()
        assert "Start a nomination" in welcome
        for typed in ("status", "/status", "Status"):
            shown = console.say(typed).strip()
            assert shown.splitlines()[-1] == ">", typed
            said = [line.strip() for line in shown.removesuffix(">").strip().splitlines()]
            # One line, and the welcome's Start, numbered as there.
            no_draft = texts.NO_DRAFT_TO.format(start="Type start")
            assert said == [no_draft, "", "1) Start a nomination"], typed


def test_ctrl_c_saves_and_ends_like_quit(tmp_path: Path) -> None:
    """Issue 16: Ctrl-C at the prompt says the nomination is saved and exits 0, at once."""
    with PtyConsole(tmp_path) as term:
        term.until_prompt()
        term.say_all(*DETAILS[:3])
        shown = term.interrupt()
    assert texts.CONSOLE_BYE in shown


def test_a_long_paste_is_read_whole(tmp_path: Path) -> None:
    """Issue 16: a terminal in canonical mode delivers at most 4,095 bytes of one line; the bot
    reads lines with readline, a key at a time, so a 4,999-character paste is saved whole."""
    with PtyConsole(tmp_path) as term:
        term.until_prompt()
        term.say_all(*DETAILS)
        shown = " ".join(term.say(("care " * 1000).strip()).split())
        assert "Saved: 1000 of 500 words so far." in shown
        assert "type clear, then send a shorter one" in shown
        term.quit()


def test_without_readline_a_line_the_terminal_cut_is_not_saved_as_half(tmp_path: Path) -> None:
    """Issue 16: where Python has no readline, a line at the terminal's limit may have been cut;
    it is refused, saying why, and nothing of it is saved."""
    blocker = tmp_path / "no_readline"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text("import sys\nsys.modules['readline'] = None\n")
    path = f"{blocker}:{console_env(tmp_path)['PYTHONPATH']}"
    with PtyConsole(tmp_path, env={"PYTHONPATH": path}) as term:
        term.until_prompt()
        term.say_all(*DETAILS)
        # The terminal keeps 4,095 bytes of the line and drops the rest, as a real one does.
        shown = term.say(("care " * 1000).strip())
        assert "a terminal takes at most 4,095 characters" in " ".join(shown.split())
        assert "Saved:" not in shown
        term.quit()


def test_the_terminal_names_actions_in_its_own_words(tmp_path: Path) -> None:
    """Issue 16: no "choose Skip" or "In Telegram, send /privacy" at the terminal."""
    with PtyConsole(tmp_path) as term:
        term.until_prompt()
        term.say_all(*DETAILS[:8])  # now at the phone number
        shown = " ".join(term.say("not a number").split())
        assert "Or type skip." in shown and "choose Skip" not in shown
        # No SMTP here, so no emailed code: help lists none of its words.
        shown = term.say("help")
        assert "skip – " in shown
        assert "new code" not in shown and "change email" not in shown and "skip code" not in shown
        term.quit()
    assert "In Telegram" not in term.transcript and "choose " not in term.transcript


def test_what_to_type_is_shown_again_after_the_examples(tmp_path: Path) -> None:
    """Issue 16: after `hints` (or help), the question's "Type: …" line has scrolled away; it is
    shown again under the examples, since it still applies."""
    with PtyConsole(tmp_path) as term:
        term.until_prompt()
        asked = term.say_all(*DETAILS)
        typed_line = asked.rstrip().removesuffix(">").rstrip().splitlines()[-1]
        assert typed_line.startswith("Type: hints")
        shown = term.say("hints")
        assert "Examples for Q1" in shown
        assert shown.rstrip().removesuffix(">").rstrip().splitlines()[-1] == typed_line
        shown = term.say("help")
        assert shown.rstrip().removesuffix(">").rstrip().splitlines()[-1] == typed_line
        term.quit()
