"""The form file carries what judges score on: the scale and its labels, and per award question
a criterion and a weight, with defaults; a second form judges on its own criteria."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from flows.form import Form, load_form
from flows.judging.criteria import judging_of

JUDGED = Path(__file__).resolve().parent.parent / "forms" / "judged.toml"
TINY = Path(__file__).resolve().parent.parent / "forms" / "tiny.toml"


def test_the_award_is_judged_on_its_four_questions_with_in_short_lines_and_weight_one() -> None:
    judging = judging_of(load_form())
    assert judging is not None
    assert [c.id for c in judging.criteria] == ["q1", "q2", "q3", "q4"]
    assert [c.number for c in judging.criteria] == ["Q1", "Q2", "Q3", "Q4"]
    assert judging.criteria[0].label == "What did they do to lead the change?"
    assert judging.criteria[1].label == "How do they know it worked?"  # written in the file
    assert {c.weight for c in judging.criteria} == {1.0}
    assert [(p.value, p.label) for p in judging.scale][::4] == [
        (1, "Little evidence"),
        (5, "Outstanding evidence"),
    ]
    assert (judging.lowest, judging.highest) == (1, 5)


def test_a_second_form_judges_on_its_own_scale_criteria_and_weights() -> None:
    judging = judging_of(load_form(JUDGED))
    assert judging is not None
    assert judging.form_id == "judged_thank_you"
    assert [(c.id, c.label, c.weight) for c in judging.criteria] == [
        ("impact", "What was better afterwards?", 3.0),
        ("story", "Did they go out of their way?", 1.0),
    ]
    assert sorted(judging.values) == [0, 1, 2]
    assert judging.weights == {"impact": 3.0, "story": 1.0}


def test_a_form_without_a_judging_section_is_not_judged() -> None:
    assert judging_of(load_form(TINY)) is None


def test_with_no_criteria_listed_every_award_question_is_judged() -> None:
    data = _judged()
    del data["judging"]["criteria"]
    judging = judging_of(Form.model_validate(data))
    assert judging is not None
    assert [c.id for c in judging.criteria] == ["story", "impact"]
    assert judging.criteria[0].label == "Q1 Why thank them"  # no In short line: its label


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda j: j["criteria"].append({"question": "your_name"}), "not an award question"),
        (lambda j: j["criteria"].append({"question": "nope"}), "not an award question"),
        (lambda j: j["criteria"].append({"question": "story"}), "judged twice"),
        (lambda j: j["scale"].reverse(), "must rise"),
        (lambda j: j.update(scale=[{"value": 1, "label": "Only"}]), "at least 2"),
        (lambda j: j["criteria"][0].update(weight=0), "greater than 0"),
        (lambda j: j.update(colour="red"), "Extra inputs"),
    ],
)
def test_a_malformed_judging_section_is_refused(change: Any, message: str) -> None:
    data = _judged()
    change(data["judging"])
    with pytest.raises(ValidationError, match=message):
        Form.model_validate(data)


def _judged() -> dict[str, Any]:
    return tomllib.loads(JUDGED.read_text(encoding="utf-8"))
