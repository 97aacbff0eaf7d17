"""The rules for supporting files: where one may be added, which kinds are accepted (by name,
media type and first bytes), the limits, and names made safe for a header or a folder."""

from __future__ import annotations

import pytest

from flows.evidence import (
    Limits,
    Refusal,
    check_content,
    check_offer,
    field_for_file,
    kind_of,
    safe_name,
    size_text,
    with_extension,
)
from flows.form import Form
from flows.state import REVIEW, NominationState, Status

LIMITS = Limits(per_file=1000, per_nomination=1500)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def at(form: Form, position: str, status: Status = Status.DRAFT) -> NominationState:
    return NominationState(
        form_id=form.id, form_version=form.version, reference="LSI-7K3Q9M", position=position,
        status=status,
    )  # fmt: skip


def test_files_belong_to_the_award_question_being_answered(form: Form) -> None:
    assert field_for_file(form, at(form, "q3")) == "q3"
    assert field_for_file(form, at(form, "nominee_name")) is None
    assert field_for_file(form, at(form, REVIEW)) is None
    assert field_for_file(form, at(form, "q3", Status.SUBMITTED)) is None
    assert field_for_file(form, None) is None


@pytest.mark.parametrize(
    ("name", "media_type", "accepted"),
    [
        ("audit.pdf", "application/pdf", True),
        ("AUDIT.PDF", None, True),
        ("feedback.docx", DOCX, True),
        ("chart.png", "image/png", True),
        ("notes.txt", "text/plain", True),
        ("audit.pdf", "application/x-msdownload", False),  # name and media type disagree
        ("tool.exe", "application/x-msdownload", False),
        ("script.sh", "text/x-sh", False),
        ("no extension", "application/pdf", False),
    ],
)
def test_kinds_are_decided_by_name_and_media_type(
    name: str, media_type: str | None, accepted: bool
) -> None:
    assert (kind_of(name, media_type) is not None) is accepted


def test_sizes_are_checked_per_file_and_per_nomination() -> None:
    assert check_offer("a.pdf", "application/pdf", 1000, 0, LIMITS) is None
    assert check_offer("a.pdf", "application/pdf", 1001, 0, LIMITS) is Refusal.TOO_BIG
    assert check_offer("a.pdf", "application/pdf", 600, 1000, LIMITS) is Refusal.NO_ROOM
    assert check_offer("a.pdf", "application/pdf", None, 1000, LIMITS) is None  # size unknown yet
    assert check_offer("a.exe", None, 10, 0, LIMITS) is Refusal.WRONG_TYPE


def test_the_first_bytes_must_match_the_name() -> None:
    assert check_content("a.pdf", "application/pdf", b"%PDF-1.7 ...") is None
    assert check_content("a.pdf", "application/pdf", b"MZ\x90\x00") is Refusal.WRONG_TYPE
    assert check_content("a.docx", DOCX, b"PK\x03\x04...") is None
    assert check_content("a.docx", DOCX, b"%PDF-") is Refusal.WRONG_TYPE
    assert check_content("a.txt", "text/plain", "Plain words, £ and é".encode()) is None
    assert check_content("a.txt", "text/plain", b"\x7fELF\x02") is Refusal.WRONG_TYPE
    assert check_content("a.txt", "text/plain", b"abc\x00def") is Refusal.WRONG_TYPE


def test_names_lose_paths_and_control_characters() -> None:
    assert safe_name("../../etc/passwd.pdf", "file") == "passwd.pdf"
    assert safe_name("C:\\Users\\me\\audit.pdf", "file") == "audit.pdf"
    assert safe_name("a\r\nBcc: x@y.pdf", "file") == "a Bcc x@y.pdf"
    assert safe_name("Übersicht – Station 7.pdf", "file") == "Übersicht – Station 7.pdf"
    assert safe_name("", "file") == "file" and safe_name(None, "photo.jpg") == "photo.jpg"


def test_sizes_read_as_people_say_them() -> None:
    assert size_text(820 * 1024) == "820 KB"
    assert size_text(int(1.4 * 1024 * 1024)) == "1.4 MB"


def test_a_name_without_an_extension_gets_its_media_types() -> None:
    assert with_extension("Audit report", "application/pdf") == "Audit report.pdf"
    assert with_extension("file", "application/x-msdownload") == "file"  # still refused later
    assert with_extension("tool.exe", "application/pdf") == "tool.exe"  # judged by its name
