"""Which line opens a turn of an interview transcript: 问：/答：, Q：/A：, 谈话人：/谈话对象：, or a named speaker
(张某某：, 李某（法规科科长）：).

Below ``ingest`` and ``segment`` both: cleaning keeps repeated turn openings (``ingest/normalize.py``) and
``segment/transcript.py`` builds turns and speakers from them.
"""

from __future__ import annotations

import re

# fmt: off
ROLE_MARKERS = {"问": "谈话人", "Q": "谈话人", "谈话人": "谈话人", "答": "谈话对象", "A": "谈话对象", "谈话对象": "谈话对象",
                "主持人": "主持人"}
HEADER_LABELS = ("谈话时间", "谈话地点", "记录人", "时间", "地点", "参加人员", "出席", "列席", "主持", "主题", "单位",
                 "被谈话人", "谈话对象单位", "签名", "日期", "记录", "备注", "事由", "会议", "座谈时间", "座谈地点")
# fmt: on
_ROLE = re.compile(r"^(问|答|Q|A|谈话人|谈话对象|主持人)\s*[：:]")
_NAMED = re.compile(r"^(?P<name>[\u4e00-\u9fff]{1,2}某{1,2}|[\u4e00-\u9fff]{2,3})(?:[（(](?P<role>[^）)]{1,40})[）)])?\s*[：:]")


def opens_turn(line: str) -> bool:
    """Whether the line opens a turn (问：…, A：…, 张某某（科长）：…), as ``find_turns`` reads it."""
    return turn_opening(line) is not None


def turn_opening(line: str) -> tuple[str, bool, str | None] | None:
    """(speaker as written, a role marker rather than a name, the role the turn writes) of a turn opening."""
    stripped = line.strip()
    if not any(mark in stripped for mark in "。？！?!；…"):
        return None  # “谈话对象：王某某，法规科科长” is a header field; a turn is speech and ends its sentences
    m = _ROLE.match(stripped)
    if m:
        return m.group(1), True, None
    n = _NAMED.match(stripped)
    if n and n.group("name") not in HEADER_LABELS and not stripped.startswith(HEADER_LABELS):
        return n.group("name"), False, n.group("role")
    return None
