"""Where common-problem grouping loses: the clustering or the encoder? (run by hand, about 3 minutes)

Scores the same evaluation rounds as ``prereview evaluate`` (common problems planted from the held-out paraphrase
groups) with three encoders:
- the bundle's own (trained without the held-out groups; its calibrated threshold),
- one trained on a share of the train groups only (a learning-curve point),
- one trained on *all* groups, held-out ones included: not a fair model, but the ceiling of the clustering when the
  encoder knows every theme. If that scores near 1 while the bundle does not, the gap is the encoder's
  generalisation to unseen themes, not the grouping.
Each encoder is scored at the similarities in ``--similarities`` and at its own calibrated one.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
from pathlib import Path

import nlp.training.encoder_train as encoder_train
from nlp.bundle import load_bundle
from nlp.classify.encoders import load_encoder
from nlp.training.corpus.pools import read_paraphrases
from nlp.training.corpus.writer import load_pools
from nlp.training.planted import planted_round, score_grouping

ROOT = Path(__file__).resolve().parents[1] / "corpora"


def train_variant(out: Path, choose) -> None:  # type: ignore[no-untyped-def]
    original = encoder_train.split_groups
    encoder_train.split_groups = lambda groups: (choose(groups, original(groups)), original(groups)[1])
    try:
        encoder_train.train_encoder(ROOT, out, log=lambda _: None)
    finally:
        encoder_train.split_groups = original


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="11,12,13,14,15")
    ap.add_argument("--similarities", default="0.4,0.5,0.6")
    ap.add_argument("--share", type=float, default=0.5, help="share of the train groups for the learning-curve point")
    args = ap.parse_args()
    seeds = [int(x) for x in args.seeds.split(",")]
    sims = [float(x) for x in args.similarities.split(",")]
    pools = load_pools(ROOT)
    _, held = encoder_train.split_groups(read_paraphrases(ROOT))
    rounds = [planted_round(pools, [g["group"] for g in held], seed) for seed in seeds]

    def part(groups, split):  # type: ignore[no-untyped-def]
        return [g for g in split[0] if int(hashlib.md5(g["group"].encode()).hexdigest()[:6], 16) / 2**24 < args.share]

    with tempfile.TemporaryDirectory() as tmp:
        encoders = {"bundle": load_bundle().encoder}
        train_variant(Path(tmp) / "part", part)
        encoders[f"{args.share:.0%} of train groups"] = load_encoder(Path(tmp) / "part")
        train_variant(Path(tmp) / "all", lambda groups, split: groups)
        encoders["all groups (ceiling)"] = load_encoder(Path(tmp) / "all")
        print(f"common F1, mean over rounds {seeds} ({len(held)} held-out groups planted)")
        print(f"{'encoder':<26}" + "".join(f"{s:>8}" for s in sims) + f"{'own':>12}")
        for name, enc in encoders.items():
            row = [sum(score_grouping(r, enc, s)["f1_common"] for r in rounds) / len(rounds) for s in sims]
            own = sum(score_grouping(r, enc)["f1_common"] for r in rounds) / len(rounds)
            print(f"{name:<26}" + "".join(f"{v:>8.3f}" for v in row) + f"{own:>7.3f} @{enc.group_similarity}")


if __name__ == "__main__":
    main()
