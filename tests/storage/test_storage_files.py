"""Private files: mode 0600 whatever the umask, written whole or not at all."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.files import create_private, private_text_file, write_private


@pytest.fixture(params=[0o000, 0o022, 0o277])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The laxest umask, the usual one, and one that would take the owner's write bit away."""
    mask: int = request.param
    previous = os.umask(mask)
    try:
        yield mask
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_private_makes_a_0600_file_in_a_0700_directory(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "new" / "LSI-7K3Q9M-organisers.eml"

    write_private(path, b"Subject: x\r\n\r\n\xff\x00")

    assert path.read_bytes() == b"Subject: x\r\n\r\n\xff\x00"
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp file left


def test_an_existing_readable_file_is_replaced_by_a_private_one(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("old")
    path.chmod(0o644)

    with private_text_file(path, encoding="utf-8-sig", newline="") as out:
        out.write("Reference\r\nLSI-7K3Q9M\r\n")

    assert path.read_bytes() == "\ufeffReference\r\nLSI-7K3Q9M\r\n".encode()
    assert mode(path) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("the last good export")

    with pytest.raises(RuntimeError, match="disk on fire"), private_text_file(path) as out:
        out.write("half an export")
        raise RuntimeError("disk on fire")

    assert path.read_text() == "the last good export"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


def test_create_private_makes_or_tightens_without_touching_the_content(
    tmp_path: Path, umask: int
) -> None:
    fresh, lax = tmp_path / "a" / "fresh.sqlite3", tmp_path / "lax.sqlite3"
    lax.write_bytes(b"keep me")
    lax.chmod(0o664)

    create_private(fresh)
    create_private(lax)

    assert (fresh.read_bytes(), mode(fresh)) == (b"", 0o600)
    assert (lax.read_bytes(), mode(lax)) == (b"keep me", 0o600)
