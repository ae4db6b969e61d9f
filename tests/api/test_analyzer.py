"""The analysis child process: same results as inline, errors keep their codes, a time limit kills and recovers."""

from __future__ import annotations

import pytest

from api.analyzer import InlineAnalyzer, ProcessAnalyzer, Request
from api.errors import DocumentTimeoutError
from nlp.errors import CorruptFileError
from tests.builders import make_txt


@pytest.mark.slow
def test_child_process_matches_inline_times_out_and_recovers() -> None:
    data = make_txt()
    analyzer = ProcessAnalyzer(timeout_s=60)
    try:
        analyzer.start()
        assert analyzer.ready
        first_pid = analyzer.pid
        result = analyzer.analyze(Request(data, "r.txt", unit="甲县司法局"))
        assert result == InlineAnalyzer().analyze(Request(data, "r.txt", unit="甲县司法局"))
        with pytest.raises(CorruptFileError):  # an error crosses the pipe with its own class and code
            analyzer.analyze(Request(b"%PDF-1.4 broken", "x.pdf"))
        assert analyzer.pid == first_pid  # a bad file does not cost the child
        analyzer.timeout_s = 0.001
        with pytest.raises(DocumentTimeoutError) as err:
            analyzer.analyze(Request(data * 20, "long.txt"))
        assert err.value.code == "DOCUMENT_TIMEOUT" and err.value.http_status == 422
        assert not analyzer.ready and analyzer.pid is None  # the child was killed
        analyzer.timeout_s = 60
        again = analyzer.analyze(Request(data, "r.txt", unit="甲县司法局"))
        assert again == result and analyzer.pid not in (None, first_pid)
    finally:
        analyzer.close()
