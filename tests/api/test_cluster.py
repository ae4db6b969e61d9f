"""Analysis on a Dask scheduler (PREREVIEW_DASK_SCHEDULER): the batch's task, results and coded errors come back."""

from __future__ import annotations

import pytest

from api.analyzer import Request
from nlp.errors import PrereviewError


@pytest.mark.slow
def test_the_dask_analyzer_returns_results_and_coded_errors() -> None:
    from distributed import LocalCluster

    from api.cluster import DaskAnalyzer
    from tests.builders import make_txt

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        analyzer = DaskAnalyzer(cluster.scheduler_address, timeout_s=120)
        try:
            assert analyzer.ready
            result = analyzer.analyze(Request(make_txt(), "r.txt", unit="甲县司法局"))
            assert result.document.unit == "甲县司法局" and result.verdict.decision
            with pytest.raises(PrereviewError) as err:
                analyzer.analyze(Request(b"", "empty.txt"))
            assert err.value.code == "EMPTY_DOCUMENT"
        finally:
            analyzer.close()
