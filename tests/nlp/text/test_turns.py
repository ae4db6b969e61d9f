from __future__ import annotations

import pytest

from nlp.text.turns import opens_turn, turn_opening


# fmt: off
@pytest.mark.parametrize(("line", "opening"), [
    ("问：你单位去年办理了多少件复议案件？", ("问", True, None)),
    ("A: 有3件超期。", ("A", True, None)),
    ("张某某（法规科科长）：台账只有1件。", ("张某某", False, "法规科科长")),
    ("谈话对象：王某某，法规科科长", None),         # a header field: no sentence ends
    ("谈话时间：2024年3月1日上午。", None),          # a header label, not a speaker
    ("全年办理行政复议案件36件。", None),
])
# fmt: on
def test_turn_openings(line: str, opening: tuple[str, bool, str | None] | None) -> None:
    assert turn_opening(line) == opening
    assert opens_turn(line) is (opening is not None)
