"""Round grouping at scale: 50,000 issues from 5,000 units (target ≤ 30 s on the reference machine).

Issue texts are drawn from the corpus pools and paraphrase groups with their figures varied, as the
generator does. Run by hand (``make bench``).
"""

from __future__ import annotations

import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.bundle import load_bundle  # noqa: E402
from nlp.cluster.rounds import RoundIssue, group_issues  # noqa: E402
from nlp.training.corpus import default_corpus_dir  # noqa: E402
from nlp.training.corpus.generate import _vary_numbers  # noqa: E402
from nlp.training.corpus.writer import load_pools  # noqa: E402


def main(n_issues: int = 50_000, n_units: int = 5_000) -> None:
    rng = random.Random(0)
    pools = load_pools(default_corpus_dir())
    rows = pools.by_label["problem_issue"]
    texts = [(r["text"], r["domain"]) for r in rows] + [(t, g["domain"]) for g in pools.paraphrases for t in g["problems"]]
    # Real rounds repeat few wordings exactly: each issue names its own sub-unit, so nearly all are distinct.
    subunits = [p + s for p in ("法规", "执法", "审批", "综合", "督查", "信访", "政策", "监管") for s in ("科", "股", "大队", "中心", "所")]
    issues = []
    for k in range(n_issues):
        text, domain = rng.choice(texts)
        text = f"{rng.choice(subunits)}{_vary_numbers(text, rng)}"
        issues.append(RoundIssue(f"i{k}", f"单位{rng.randrange(n_units)}", text, domain))
    bundle = load_bundle()
    encoder = bundle.encoder
    encoder.encode(["热身"])
    t0 = time.perf_counter()
    groups = group_issues(issues, encoder, n_units=n_units)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'measure':<32}{'value':>12}")
    print(f"{'issues':<32}{n_issues:>12}")
    print(f"{'units':<32}{n_units:>12}")
    distinct = len({i.text for i in issues})
    print(f"{'distinct wordings':<32}{distinct:>12}")
    print(f"{'groups':<32}{len(groups):>12}")
    print(f"{'common groups':<32}{sum(g.scope == 'common' for g in groups):>12}")
    print(f"{'grouping seconds':<32}{seconds:>12.1f}")
    print(f"{'peak memory (MB, whole process)':<32}{peak:>12.0f}")
    print("target: grouping 50,000 issues <= 30 s")


if __name__ == "__main__":
    main()
