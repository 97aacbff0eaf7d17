"""Settings for the whole suite: bytecode caching, and the slowest modules run first."""

import sys

import pytest

# Each pytest worker rewrites the asserts of every test module it collects (all of them, with
# xdist), about 5 s of CPU per worker, and caches the result in __pycache__ beside the module.
# With PYTHONDONTWRITEBYTECODE set that cache is never written and every run pays again; the
# suite writes it anyway (only into __pycache__, which git ignores).
sys.dont_write_bytecode = False

# The modules whose tests take seconds each (new processes, hypothesis, long chats), slowest
# first. xdist hands tests out in collection order, so these start first and the run ends on
# short tests that a worker can steal, not on one long test while the other worker idles.
SLOW_FIRST = (
    "tests/bot/test_preflight.py",
    "tests/flows/test_engine_properties.py",
    "tests/reliability/test_sigkill_submit.py",
    "tests/mail/test_mail_cli.py",
    "tests/flows/test_review_loop_properties.py",
    "tests/reliability/test_hostile_input.py",
    "tests/reliability/test_sigkill_in_flight.py",
    "tests/organisers/test_purge.py",
    "tests/bot/test_telegram_html.py",
    "tests/organisers/test_programme_cli.py",
    "tests/organisers/test_organiser_cli.py",
    "tests/reliability/test_sigkill.py",
    "tests/reliability/test_bot_api_faults.py",
    "tests/organisers/test_scores_cli.py",
    "tests/bot/test_organisers_process.py",
    "tests/unit/test_paging.py",
    "tests/console/test_console_e2e.py",
    "tests/reliability/test_smtp_cut.py",
    "tests/storage/test_storage_crash.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: n for n, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(SLOW_FIRST)))
