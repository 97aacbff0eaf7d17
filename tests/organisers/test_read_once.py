"""At start-up the programme file (and each form in it) is read once, by the checks, and what
they read is handed on to the bot, rather than the files being read again to open it: seen by
Python's audit hook for `open` in a real `nomination-bot stats` process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.organisers.conftest import EXAMPLE_PROGRAMME
from tests.organisers.test_organiser_cli import REPO

FORMS = EXAMPLE_PROGRAMME.parent
WATCHED = ("example_programme.toml", "leading_for_service_improvement.toml")
# Counts each open of a watched file, then runs the command line; prints "opened NAME" per open.
RUN = (
    "import sys\n"
    "watched = set(sys.argv[1].split(','))\n"
    "def seen(event, args):\n"
    "    path = args[0] if event == 'open' and isinstance(args[0], str) else ''\n"
    "    name = path.rsplit('/', 1)[-1]\n"
    "    if name in watched:\n"
    "        print('opened', name, file=sys.stderr)\n"
    "sys.addaudithook(seen)\n"
    "from bot.__main__ import main\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


def opens(tmp_path: Path, **env: str) -> Counter[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "DATABASE_PATH": str(tmp_path / "nominations.sqlite3"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN, ",".join(WATCHED), "stats"],
        capture_output=True, text=True, cwd=tmp_path, env=environment,
        stdin=subprocess.DEVNULL, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return Counter(
        line.split()[1] for line in done.stderr.splitlines() if line.startswith("opened")
    )


def test_the_programme_file_and_its_forms_are_read_once(tmp_path: Path) -> None:
    assert opens(tmp_path, AWARDS_FILE=str(EXAMPLE_PROGRAMME)) == Counter(dict.fromkeys(WATCHED, 1))


def test_the_form_file_is_read_once_without_a_programme(tmp_path: Path) -> None:
    form = FORMS / "leading_for_service_improvement.toml"
    assert opens(tmp_path, FORM_FILE=str(form)) == Counter(
        {"leading_for_service_improvement.toml": 1}
    )
