from __future__ import annotations

import pytest

from nlp.ingest.plain import decode_text, looks_wrapped, read_text
from tests.builders import make_txt, report_lines


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "big5"])
def test_encodings_decode_to_the_same_text(encoding: str) -> None:
    lines = report_lines()
    if encoding == "big5":
        import opencc

        lines = [opencc.OpenCC("s2t").convert(x) for x in lines]
    data = "\n".join(lines).encode(encoding)
    assert decode_text(data) == "\n".join(lines)


def test_hard_wrapped_text_is_detected() -> None:
    para = "我局坚持把法治政府建设摆在全局工作的重要位置，全年召开专题会议研究部署，逐项分解任务，压实科室责任，确保各项措施落地见效。" * 4
    wrapped = [para[i:i + 30] for i in range(0, len(para), 30)]
    assert looks_wrapped(wrapped)
    assert not looks_wrapped(report_lines())


def test_read_text_keeps_every_line() -> None:
    raw = read_text(make_txt())
    assert [ln.text for ln in raw.lines] == report_lines()
