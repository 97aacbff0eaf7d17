"""The rules for supporting files: where one may be added, which kinds are accepted (by name,
media type and first bytes), the limits, and names made safe for a header or a folder."""

from __future__ import annotations

import pytest

from flows.evidence import (
    ACCEPTED,
    Held,
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
from tests.kit.samples import OLE, PAGE, SAMPLES, ooxml

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


def test_sizes_and_counts_are_checked_per_file_and_per_nomination() -> None:
    def offer(size: int | None, held: Held | None = None) -> Refusal | None:
        return check_offer("a.pdf", "application/pdf", size, held or Held(), LIMITS)

    assert offer(1000) is None
    assert offer(1001) is Refusal.TOO_BIG
    assert offer(600, Held(used=1000)) is Refusal.NO_ROOM
    assert offer(None, Held(used=1000)) is None  # size unknown yet
    assert offer(0) is Refusal.EMPTY
    assert check_offer("a.exe", None, 10, Held(), LIMITS) is Refusal.WRONG_TYPE
    many = Limits(per_file=1000, per_nomination=1500, files=3, files_per_question=2)
    assert check_offer("a.pdf", None, 1, Held(files=2, here=1), many) is None
    assert check_offer("a.pdf", None, 1, Held(files=3, here=0), many) is Refusal.TOO_MANY
    assert check_offer("a.pdf", None, 1, Held(files=2, here=2), many) is Refusal.TOO_MANY_HERE


EXTENSIONS = sorted(extension for kind in ACCEPTED for extension in kind.extensions)


def test_every_accepted_extension_has_a_sample_and_a_check() -> None:
    assert sorted(SAMPLES) == EXTENSIONS


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_each_kind_is_known_by_its_signature(extension: str) -> None:
    name = f"evidence{extension}"
    assert check_content(name, None, SAMPLES[extension]) is None
    assert check_content(name, None, b"") is Refusal.EMPTY
    assert check_content(name, None, PAGE) is Refusal.WRONG_TYPE  # a web page renamed
    assert check_content(name, None, b"MZ\x90\x00" * 100) is Refusal.WRONG_TYPE  # a program
    others = [data for other, data in SAMPLES.items() if other not in (extension, ".txt")]
    if extension not in (".jpg", ".jpeg", ".txt"):  # one kind, two names; text is any text
        assert all(check_content(name, None, data) is Refusal.WRONG_TYPE for data in others)


def test_the_disguises_an_attacker_tried_are_refused() -> None:
    assert check_content("photo.heic", None, PAGE) is Refusal.WRONG_TYPE
    assert check_content("photo.webp", None, b"RIFF" + b"\x00" * 40) is Refusal.WRONG_TYPE
    polyglot = b"%PDF-1.4\n" + PAGE + b"%%EOF\n"
    assert check_content("audit.pdf", None, polyglot) is Refusal.WRONG_TYPE
    # A zip that is not an Office package of its kind, and an OLE file of another kind.
    assert check_content("a.docx", None, ooxml("xl/workbook.xml")) is Refusal.WRONG_TYPE
    assert check_content("a.docx", None, b"PK\x03\x04" + b"\x00" * 40) is Refusal.WRONG_TYPE
    assert check_content("a.doc", None, OLE + b"\x00" * 600) is Refusal.WRONG_TYPE
    assert check_content("a.txt", "text/plain", b"abc\x00def") is Refusal.WRONG_TYPE
    assert check_content("a.txt", None, b"\xef\xbb\xbf  <html><p>hi") is Refusal.WRONG_TYPE
    # Text may mention markup; only a page that starts as one is refused.
    assert check_content("a.txt", None, b"Notes: we removed the <script> tag.") is None


def test_names_lose_paths_and_control_characters() -> None:
    assert safe_name("../../etc/passwd.pdf", "file") == "passwd.pdf"
    assert safe_name("C:\\Users\\me\\audit.pdf", "file") == "audit.pdf"
    assert safe_name("a\r\nBcc: x@y.pdf", "file") == "a Bcc x@y.pdf"
    assert safe_name("Übersicht – Station 7.pdf", "file") == "Übersicht – Station 7.pdf"
    assert safe_name("", "file") == "file" and safe_name(None, "photo.jpg") == "photo.jpg"


def test_sizes_read_as_people_say_them() -> None:
    assert size_text(820 * 1024) == "820 KB"
    assert size_text(int(1.4 * 1024 * 1024)) == "1.4 MB"
    # Under a kilobyte, the bytes: an empty file is never "1 KB".
    assert (size_text(0), size_text(1), size_text(300)) == ("0 bytes", "1 byte", "300 bytes")
    assert size_text(1024) == "1 KB"


def test_a_name_without_an_extension_gets_its_media_types() -> None:
    assert with_extension("Audit report", "application/pdf") == "Audit report.pdf"
    assert with_extension("file", "application/x-msdownload") == "file"  # still refused later
    assert with_extension("tool.exe", "application/pdf") == "tool.exe"  # judged by its name
