from __future__ import annotations

import pytest

from nlp.extract.numbers import chinese_to_number, find_percentages


@pytest.mark.parametrize(("text", "value"), [
    ("十五", 15), ("八十七点五", 87.5), ("一百", 100), ("二十", 20), ("三", 3), ("一〇五", 105), ("两千零五", 2005),
    ("九十九点九", 99.9),
])
def test_chinese_numerals(text: str, value: float) -> None:
    assert chinese_to_number(text) == value


def test_not_a_number() -> None:
    assert chinese_to_number("若干") is None


def test_percentages_in_text() -> None:
    text = "败诉率为17.6%，纠错率百分之二十点五，较上年下降2个百分点，报备率100％"
    assert [v for v, _, _ in find_percentages(text)] == [17.6, 20.5, 100.0]
