"""The judges' scores CSV read back as Excel would: one row per judge, nomination and criterion,
every typed cell exact but for the apostrophe that stops a formula, UTF-8 with a byte-order mark."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

from bot.services.exports import neutralised
from bot.services.organisers import ExportFormat, encoding
from bot.services.scores_export import COLUMNS, COMMENT, ScoreLine, ScoresCsv, scores_csv_text
from storage.files import private_text_file

AT = datetime(2027, 2, 1, 9, 30, tzinfo=UTC)
AWKWARD_COMMENT = '=HYPERLINK("http://evil.example")\nStrong, "measured" results; שלום 👩‍⚕️'


def lines() -> list[ScoreLine]:
    made = []
    for judge, comment in (("Dr Ana Okafor", AWKWARD_COMMENT), ("-Sam O'Neil", "")):
        for criterion, weight, score, means in (
            ("Leadership shown", 2.0, 5, "outstanding evidence"),
            ("Impact on patients", 1.0, 3, "some evidence"),
        ):
            made.append(
                ScoreLine("LSI-7K3Q9M", "@Priya Shah", judge, criterion, weight, score, means,
                          comment, AT)
            )  # fmt: skip
    made.append(ScoreLine("LSI-22AB3C", "Ward 7", "Dr Ana Okafor", "Leadership shown", 1.5, 4,
                          "strong evidence", "", None))  # fmt: skip
    return made


def test_the_scores_csv_reads_back_row_for_row(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    with private_text_file(path, encoding=encoding(ExportFormat.CSV), newline="") as out:
        written = ScoresCsv(out)
        assert written.write(lines()[:2]) == 2  # in batches, as the pages of a round come
        assert written.write(lines()[2:]) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, *rows = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    assert header == list(COLUMNS)
    assert len(rows) == 5  # two judges x two criteria, and one more
    first = dict(zip(header, rows[0], strict=True))
    assert first == {
        "Reference": "LSI-7K3Q9M",
        "Nominee": "'@Priya Shah",
        "Judge": "Dr Ana Okafor",
        "Criterion": "Leadership shown",
        "Weight": "2",
        "Score": "5",
        "Score means": "outstanding evidence",
        COMMENT: "'" + AWKWARD_COMMENT,  # line break, quotes and all, in one cell
        "Scored (ISO 8601, UTC)": "2027-02-01T09:30:00+00:00",
    }
    assert [row[header.index(COMMENT)] for row in rows[:2]] == ["'" + AWKWARD_COMMENT] * 2
    assert rows[2][header.index("Judge")] == "'-Sam O'Neil"
    assert rows[4][header.index("Weight")] == "1.5" and rows[4][-1] == ""
    for row, line in zip(rows, lines(), strict=True):
        assert row[header.index(COMMENT)] == neutralised(line.comment)


def test_no_scores_is_a_header_alone() -> None:
    assert list(csv.reader(io.StringIO(scores_csv_text([]), newline=""))) == [list(COLUMNS)]
