"""Interview transcripts (谈话记录, 座谈会记录): turns, speakers, and names kept out of every output.

Turns open with a marker at the start of a line: 问：/答：, Q：/A：, 谈话人：/谈话对象：, or a named speaker
(张某某：, 李某（法规科科长）：), as ``nlp.text.turns`` recognises them. Every sentence belongs to the turn running at its line. Names are replaced
in the text by 某 of the same length (offsets stay valid) and speakers are reported as pseudonymous ids
with their role: identities stay in the stored source only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.text.turns import HEADER_LABELS, ROLE_MARKERS, turn_opening

# fmt: off
_HEADER_NAME = re.compile(r"(?P<label>谈话对象|被谈话人|谈话人|记录人|主持人?|参加人员|督察人员)[：:]\s*(?P<names>[^\n。]{1,80})")
HEADER_ROLES = {"谈话人": "谈话人", "督察人员": "谈话人", "主持人": "主持人", "主持": "主持人", "谈话对象": "谈话对象",
                "被谈话人": "谈话对象"}
ASKING_ROLES = ("谈话人", "主持人")  # the inspectors' side: questions and procedure, not statements about the unit
_SEPARATORS = re.compile(r"[，,、；;\s（()）]+")
_NAME = re.compile(r"^(?:[\u4e00-\u9fff]某{1,2}|[\u4e00-\u9fff]{2,3})$")
# organisation suffixes are single characters; titles are words (a class of their characters would refuse names ending in
# 志, 中, 心, 任 or 书: 胡振志, 王建中)
_NOT_A_NAME = re.compile(r"(?:[组局科处室办队所委院会长员部厅站人]|中心|同志|主任|书记)$|^(?:省|市|县|区|镇|乡)")


@dataclass(frozen=True)
class Turn:
    start: int  # offset of the line that opens the turn
    speaker: str  # the marker as written: 问, 答, 张某某 …
    role: str | None


def find_turns(text: str) -> list[Turn]:
    """Every turn opening, in order. A named speaker the header lists as interviewer (谈话人) or chair (主持人)
    takes that role; one it lists as 谈话对象 takes that role unless the turn writes its own."""
    roles = header_roles(text)
    turns = []
    pos = 0
    for line in text.split("\n"):
        opening = turn_opening(line)
        if opening is not None:
            speaker, marker, written = opening
            if marker:
                turns.append(Turn(pos, speaker, ROLE_MARKERS[speaker]))
            else:
                role = roles.get(speaker)
                turns.append(Turn(pos, speaker, role if role in ASKING_ROLES else written or role))
        pos += len(line) + 1
    return turns


def speaker_at(turns: list[Turn], offset: int) -> Turn | None:
    """The turn running at ``offset`` (None before the first turn: the header)."""
    current = None
    for turn in turns:
        if turn.start > offset:
            break
        current = turn
    return current


def pseudonyms(turns: list[Turn]) -> dict[str, str]:
    """Raw speaker → stable pseudonymous id, by order of first appearance: 发言人1, 发言人2 …; role markers
    (问/答) already name no one and stay as roles."""
    out: dict[str, str] = {}
    for turn in turns:
        if turn.speaker in ROLE_MARKERS:
            out.setdefault(turn.speaker, ROLE_MARKERS[turn.speaker])
        elif turn.speaker not in out:
            out[turn.speaker] = f"发言人{sum(1 for v in out.values() if v.startswith('发言人')) + 1}"
    return out


def names_to_hide(text: str, turns: list[Turn]) -> set[str]:
    """Personal names: named speakers, and names in the header's 谈话对象/记录人/参加人员 lines."""
    return {t.speaker for t in turns if t.speaker not in ROLE_MARKERS} | set(_header_people(text))


def header_roles(text: str) -> dict[str, str]:
    """Name → its role in the header: 谈话人 (谈话人/督察人员 lines), 主持人, 谈话对象 (谈话对象/被谈话人)."""
    return {name: HEADER_ROLES[label] for name, label in _header_people(text).items() if label in HEADER_ROLES}


def _header_people(text: str) -> dict[str, str]:
    """Name → the header label it is listed under."""
    people: dict[str, str] = {}
    for line in text.split("\n"):
        if any(mark in line for mark in "。？！?!；…"):
            continue  # header fields only: speech lines are turns, not lists of people
        m = _HEADER_NAME.match(line.strip())
        if not m:
            continue
        for token in _SEPARATORS.split(m.group("names")):
            # “督察组 陈一鸣” loses its space in normalization: the name follows the organisation's last suffix
            token = re.split(r"(?<=[组局科处室办队所委院会部厅站])", token)[-1]
            if _NAME.match(token) and not _NOT_A_NAME.search(token) and token not in HEADER_LABELS:
                people.setdefault(token, m.group("label"))
    return people


def redact(text: str, names: set[str]) -> str:
    """Each name replaced by 某 of the same length, so every offset stays valid."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "某" * len(name))
    return text


def masked_filename(filename: str, names: set[str], digest: str) -> str:
    """The file's name with the transcript's hidden names masked like the text (张伟 → 某某). Two interviews named
    after their interviewees would then share a name, so a masked one gets the first 8 hex digits of the file's
    sha256 before its extension: stable across runs, unique again. A name without hidden names stays as it is.

    Example:
        >>> masked_filename("谈话记录-张伟.txt", {"张伟"}, "3fa2b1c0aa")
        '谈话记录-某某-3fa2b1c0.txt'
    """
    hidden = redact(filename, names)
    if hidden == filename:
        return filename
    head, dot, ext = hidden.rpartition(".")
    if not dot or "/" in ext or not head:
        return f"{hidden}-{digest[:8]}"
    return f"{head}-{digest[:8]}.{ext}"
