"""An update's id rides in the transaction of its effects (issue 17): committed with them, rolled
back with them, and recognised afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.nominations import NominationStore
from storage.updates import HANDLING, Handling


async def test_an_update_id_is_committed_and_rolled_back_with_its_effects(tmp_path: Path) -> None:
    async with await NominationStore.open(tmp_path / "bot.db") as store:
        db = store._db  # the transaction itself is what is tested
        token = HANDLING.set(Handling(41))
        try:
            with pytest.raises(RuntimeError):
                async with db.write_now():
                    raise RuntimeError("the effects failed")
            assert not store.update_handled(41)
            async with db.write_now():
                pass
        finally:
            HANDLING.reset(token)
        assert store.update_handled(41)
        assert not store.update_handled(42)
        async with db.write_now():  # no update being handled: nothing recorded
            pass
        assert not store.update_handled(42)
