"""Test kits shared by the test suite and bench/: the fake Bot API (`tests.kit.fake_telegram`), a
nominator who talks to the real bot through it (`tests.kit.nominator`) and the SMTP and email
helpers (`tests.kit.mailkit`). Import them as `from tests.kit.mailkit import ...`."""
