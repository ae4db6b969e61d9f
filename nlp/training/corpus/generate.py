"""Compose realistic documents from the corpus pools, with exact labels and spans (deterministic per seed).

Each generated document is written in the authoring format (``corpora/AUTHORING.md``) and compiled by the
same compiler as the hand-written corpus, so its gold annotations are exact by construction. Used for
augmentation, review-round tests (planted common problems shared by k units) and benchmarks.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass, field
from typing import Any

from nlp.training.corpus.pools import strip_enumerator
from nlp.training.corpus.sources import parse_source

ENUM = "一二三四五六七八九十"
# fmt: off
PLACES = ["青川市", "南屏市", "望海市", "石门市", "江川市", "丰宁市", "云溪县", "白水县", "桐山县", "柳河区", "东坪县", "梅岭县",
          "清源县", "北塘区", "安平县", "河口区", "石桥镇", "沙湾镇", "龙泉乡", "杨柳镇", "双河镇", "新集乡"]
DEPARTMENTS = ["司法局", "生态环境局", "市场监督管理局", "自然资源局", "交通运输局", "人力资源和社会保障局", "住房和城乡建设局",
               "城市管理综合执法局", "应急管理局", "农业农村局", "卫生健康委员会", "教育局", "文化广电旅游局", "水利局", "民政局",
               "医疗保障局", "人民政府"]
TITLES = {
    "annual_report": "{unit}{year}年法治政府建设年度报告",
    "shufa_report": "{unit}主要负责人{year}年度述法报告",
    "self_report": "{unit}关于{year}年度法治政府建设工作的自查报告",
}
HEADINGS = {
    "achievements": ["主要举措和成效", "工作开展情况", "履行法治建设职责情况", "主要做法和成效", "推进法治建设的主要工作"],
    "problems": ["存在的问题和不足", "存在的短板和差距", "工作中的薄弱环节", "存在的不足", "问题与不足"],
    "causes": ["问题产生的原因", "原因分析", "存在问题的原因"],
    "measures": ["下一步工作打算", "下一年度主要安排", "整改措施和工作计划", "下一步工作措施"],
}
# fmt: on
PROFILES = {"good": 0.5, "achievement_heavy": 0.22, "vague": 0.16, "no_problems": 0.06, "copy": 0.06}
NOISES = ("pinyin", "repeat_body", "chrome", "fullwidth", "traditional", "masked", "wrap")


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate. ``units`` defaults to one unit per document; ``common_k`` to max(3, 25% of units)."""

    n: int
    seed: int = 0
    units: int | None = None
    target_chars: int = 6000
    common_groups: int = 8
    common_k: int | None = None
    noise_rate: float = 0.3
    profiles: dict[str, float] = field(default_factory=lambda: dict(PROFILES))
    round_name: str = "generated"
    plant_from: tuple[str, ...] | None = None  # paraphrase group ids to plant common problems from (default: all)
    # Specific problems from the train pool's own issue sentences too (realistic text, but the corpus's writers
    # share topics, so some "specific" pool problems are really common); off for scope evaluation.
    specific_from_pool: bool = True


@dataclass
class Pools:
    """The material: train-split sentences and headings, and paraphrase groups."""

    sentences: list[dict[str, Any]]
    headings: list[dict[str, Any]]
    paraphrases: list[dict[str, Any]]

    def __post_init__(self) -> None:
        self.by_label: dict[str, list[dict[str, Any]]] = {}
        for row in self.sentences:
            # an issue's first sentence, a sentence that elaborates one (“其中……”), or a plain sentence
            key = row["label"] + ("_issue" if row.get("domain") else "_more" if row.get("continuation") else "")
            self.by_label.setdefault(key, []).append(row)
        self.concrete = [g for g in self.paraphrases if not g["vague"]]
        self.vague_groups = [g for g in self.paraphrases if g["vague"]]


def unit_names(count: int) -> list[str]:
    names = [p + d for d in DEPARTMENTS for p in PLACES]
    out = names[:count]
    k = 2
    while len(out) < count:
        out += [f"{n}第{k}分局" for n in names[: count - len(out)]]
        k += 1
    return out


def plan_round(cfg: GeneratorConfig, pools: Pools, rng: random.Random) -> tuple[list[str], dict[str, list[dict]]]:
    """Units of the round and, per unit, the planted common groups it carries."""
    n_units = cfg.units or cfg.n
    units = unit_names(n_units)
    planted: dict[str, list[dict]] = {u: [] for u in units}
    if n_units >= 3 and pools.concrete:
        k = cfg.common_k or max(3, math.ceil(0.25 * n_units))
        candidates = [g for g in pools.concrete if cfg.plant_from is None or g["group"] in cfg.plant_from]
        groups = rng.sample(candidates, min(cfg.common_groups, len(candidates)))
        for group in groups:
            for unit in rng.sample(units, min(k, n_units)):
                planted[unit].append(group)
    return units, planted


class Deck:
    """Deal items without replacement, reshuffling when the pile is empty: no problem recurs by chance."""

    def __init__(self, items: list[Any], rng: random.Random) -> None:
        self.items = list(items)
        self.rng = rng
        self.pile: list[Any] = []

    def draw(self) -> Any:
        if not self.pile:
            self.pile = list(self.items)
            self.rng.shuffle(self.pile)
        return self.pile.pop()

    def __bool__(self) -> bool:
        return bool(self.items)


def generate(cfg: GeneratorConfig, pools: Pools) -> list[dict[str, Any]]:
    """``cfg.n`` annotated-document records (the corpus JSONL shape plus ``round`` and ``noise``)."""
    rng = random.Random(cfg.seed)
    units, planted = plan_round(cfg, pools, rng)
    common_ids = {g["group"] for gs in planted.values() for g in gs}
    rows = pools.by_label.get("problem_issue", []) if cfg.specific_from_pool else []
    decks = {"groups": Deck([g for g in pools.concrete if g["group"] not in common_ids], rng),
             "rows": Deck(rows, rng), "vague_rows": Deck([r for r in rows if r["vague"]], rng),
             "vague_groups": Deck(pools.vague_groups, rng)}
    records: list[dict[str, Any]] = []
    names = list(cfg.profiles)
    weights = [cfg.profiles[k] for k in names]
    for index in range(cfg.n):
        unit = units[index % len(units)]
        profile = rng.choices(names, weights)[0]
        if profile == "copy" and records:
            record = _copy_of(rng.choice(records), unit, index, rng)
        else:
            groups = planted[unit] if index < len(units) else []
            source = _compose(index, unit, "copy" if profile == "copy" else profile, groups, decks, pools, cfg, rng)
            record = parse_source(source, name=f"gen-{index}")
        record["batch"] = "generated"
        record["round"] = cfg.round_name
        record["noise"] = rng.sample(NOISES, rng.randint(1, 3)) if rng.random() < cfg.noise_rate else []
        records.append(record)
    return records


def _compose(index: int, unit: str, profile: str, groups: list[dict], decks: dict[str, Deck], pools: Pools,
             cfg: GeneratorConfig, rng: random.Random) -> str:
    kind = rng.choice(list(TITLES))
    year = rng.choice([2023, 2024, 2024, 2025])
    title = TITLES[kind].format(unit=unit, year=year)
    out = Writer()
    scale = cfg.target_chars / 6000
    n_issues, n_causes = {"good": (rng.randint(9, 14), rng.randint(5, 8)), "achievement_heavy": (rng.randint(1, 2), rng.randint(0, 1)),
                          "vague": (rng.randint(6, 9), rng.randint(2, 4)), "no_problems": (0, 0)}.get(profile, (6, 3))
    n_issues, n_causes = max(1, round(n_issues * scale)) if n_issues else 0, round(n_causes * scale)
    if profile == "good":  # a real problem part: about a third of the report
        n_issues = max(3, round(cfg.target_chars * rng.uniform(0.28, 0.36) / 120))
    verdict, reasons = _expected_verdict(profile)
    out.header(id=f"g{index:05d}", kind=kind, title=title, unit=unit, level="city" if "市" in unit[:3] else "county",
               year=year, style="generated", verdict=verdict, reasons=",".join(reasons))
    out.line("T", title)
    out.para([("O", _pick(pools, "other", rng, unit=unit)) for _ in range(2)])
    issues = _issue_items(profile, n_issues, groups, decks, rng)
    elaborate = profile == "good"
    problem_chars = sum(len(t) for _, t, _ in issues) * (1.5 if elaborate else 1) + 45 * n_causes + 120
    # achievements fill the rest of the target length (a good report's problem part is sized to about a third)
    budget = {"good": max(problem_chars, cfg.target_chars - problem_chars - 500),
              "vague": cfg.target_chars - problem_chars}.get(profile, cfg.target_chars)
    section = 0
    section += 1
    out.line("H1", f"{ENUM[section - 1]}、{rng.choice(HEADINGS['achievements'])}")
    written, sub = 0, 0
    if profile in ("good", "vague") and rng.random() < 0.85:  # most reports state the leader's own duty
        duty = _pick_matching(pools, "achievement", "第一责任人|主要负责人", rng)
        if duty:
            out.line("H2", f"（{_num(1)}）履行第一责任人职责")
            out.para([("A", duty)])
            sub = 1
    while written < budget * 0.8:
        sub += 1
        heading = _pick_heading(pools, rng)
        out.line("H2", f"（{_num(sub)}）{heading}")
        sentences = [_pick(pools, "achievement", rng, unit=unit) for _ in range(rng.randint(3, 6))]
        out.para([("A", s) for s in sentences])
        written += sum(len(s) for s in sentences)
    measures = _measures_for(issues, pools, rng, unit)
    if profile != "no_problems":
        section += 1
        out.line("H1", f"{ENUM[section - 1]}、{rng.choice(HEADINGS['problems'])}")
        out.para([("P", _pick(pools, "problem", rng, lead_in=True, unit=unit))])
        items = []
        for k, (attrs, text, _) in enumerate(issues):
            end = "。" if k == len(issues) - 1 else "；"
            items.append((f"P[{attrs}]", f"{ENUM[k % 10]}是{_ending(strip_enumerator(text), end)}"))
            if elaborate and rng.random() < 0.8:  # a second sentence that says more about the same problem
                items.append(("P[+]", _pick(pools, "problem_more", rng, unit=unit)))
        out.para(items)
        if n_causes:
            out.para([("C", _pick(pools, "cause", rng, unit=unit)) for _ in range(n_causes)])
    section += 1
    out.line("H1", f"{ENUM[section - 1]}、{rng.choice(HEADINGS['measures'])}")
    out.para([(f"M[#{k + 1}]", m) for k, m in enumerate(measures)] or [("M", _pick(pools, "measure", rng, unit=unit))])
    return out.text()


def _issue_items(profile: str, n: int, groups: list[dict], decks: dict[str, Deck],
                 rng: random.Random) -> list[tuple[str, str, dict | None]]:
    """(attributes, sentence, group) per issue: the unit's planted common groups first, then specific ones
    dealt from the unshared paraphrase groups and the train pool's own issue sentences."""
    if n == 0:
        return []
    items: list[tuple[str, str, dict | None]] = [_group_item(group, rng) for group in groups]
    vague_only = profile == "vague"
    group_deck = decks["vague_groups"] if vague_only else decks["groups"]
    row_deck = decks["vague_rows"] if vague_only else decks["rows"]
    while len(items) < n and (group_deck or row_deck):
        if group_deck and (not row_deck or rng.random() < 0.4):
            items.append(_group_item(group_deck.draw(), rng))
        else:
            row = row_deck.draw()
            code = {"explicit": "e", "hedged": "h", "indicator": "i", "cross_source": "x"}.get(
                row["latent_basis"] or row["visibility"], "e")
            key = hashlib.sha1(row["text"].encode("utf-8")).hexdigest()[:10]
            attrs = f"d={row['domain']} v={code} g=s{key}" + (" vague" if row["vague"] else "")
            items.append((attrs, row["text"], None))
    return items


def _group_item(group: dict, rng: random.Random) -> tuple[str, str, dict]:
    text = _vary_numbers(rng.choice(group["problems"]), rng)
    hedged = bool(re.search(r"有待|提升空间|个别|部分|不同程度|还需|仍需|尚", text))
    attrs = f"d={group['domain']} v={'h' if hedged else 'e'} g={group['group']}" + (" vague" if group["vague"] else "")
    return attrs, text, group


def _measures_for(issues: list[tuple[str, str, dict | None]], pools: Pools, rng: random.Random,
                  unit: str) -> list[str]:
    """A measure for most issues (the group's own, or a pool measure on the issue's domain), linked with m=."""
    from nlp.taxonomy import load_taxonomy

    cues = {d.code: d.cues for d in load_taxonomy().domains}
    pool = [r["text"] for r in pools.by_label.get("measure", []) if r["text"].endswith("。")]
    measures: list[str] = []
    for k, (attrs, text, group) in enumerate(issues):
        if rng.random() >= 0.8:
            continue  # some problems stay unanswered, as in real reports
        if group and group.get("measures"):
            measure = rng.choice(group["measures"])
        else:
            domain = re.search(r"d=(\S+)", attrs).group(1)  # type: ignore[union-attr]
            matching = [m for m in pool if any(c in m for c in cues.get(domain, ()))]
            if not matching:
                continue
            measure = rng.choice(matching)
        measures.append(_ending(strip_enumerator(measure), "。"))
        issues[k] = (attrs + f" m={len(measures)}", text, group)
    measures += [_pick(pools, "measure", rng, unit=unit) for _ in range(rng.randint(2, 4))]
    return measures


def _expected_verdict(profile: str) -> tuple[str, list[str]]:
    return {"good": ("pass", []), "achievement_heavy": ("revise", ["LOW_PROBLEM_SHARE"]),
            "vague": ("revise", ["VAGUE_PROBLEMS"]), "no_problems": ("return", ["NO_PROBLEMS"]),
            "copy": ("pass", [])}[profile]


def _copy_of(original: dict[str, Any], unit: str, index: int, rng: random.Random) -> dict[str, Any]:
    """A near-copy of an earlier document under another unit's name: same text, some figures changed."""
    text = original["text"]
    if len(unit) == len(original["unit"]):  # same length keeps every offset; otherwise the old name stays, as in real copies
        text = text.replace(original["unit"], unit)
    # figures of up to three digits change (same width keeps every offset); years and longer numbers stay whole
    text = re.sub(r"(?<!\d)\d{1,3}(?!\d)",
                  lambda m: _same_width_number(m.group(), rng) if rng.random() < 0.3 else m.group(), text)
    record = {**original, "id": f"g{index:05d}", "unit": unit, "text": text, "copy_of": original["id"],
              "verdict": "return", "reasons": ["NEAR_DUPLICATE"], "title": original["title"]}
    return record


class Writer:
    """Builds an authoring-format source, line by line."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def header(self, **values: Any) -> None:
        self._lines += ["---", *(f"{k}: {v}" for k, v in values.items()), "---"]

    def line(self, tag: str, text: str) -> None:
        self._lines += [f"{tag}| {text}", ""]

    def para(self, items: list[tuple[str, str]]) -> None:
        for k, (tag, text) in enumerate(items):
            if text.endswith("：") and k < len(items) - 1:
                text = text[:-1] + "。"
            self._lines.append(f"{tag}| {text}")
        self._lines.append("")

    def text(self) -> str:
        return "\n".join(self._lines) + "\n"


_PLACE = re.compile("|".join(PLACES))


def _pick(pools: Pools, label: str, rng: random.Random, lead_in: bool = False, unit: str = "") -> str:
    rows = pools.by_label.get(label, [])
    if lead_in:
        rows = [r for r in rows if r["text"].endswith("：")] or rows
    else:
        rows = [r for r in rows if r["text"].endswith(("。", "；", "！"))] or rows
    text = "相关工作有序推进。"
    for _ in range(12):  # prefer sentences that name no other place than the unit's own
        text = rng.choice(rows)["text"] if rows else text
        if all(unit.startswith(p) for p in _PLACE.findall(text)):
            break
    return _ending(strip_enumerator(text), "：" if lead_in and text.endswith("：") else "。")


def _pick_matching(pools: Pools, label: str, pattern: str, rng: random.Random) -> str | None:
    rows = [r for r in pools.by_label.get(label, []) if re.search(pattern, r["text"]) and r["text"].endswith("。")]
    return _ending(strip_enumerator(rng.choice(rows)["text"]), "。") if rows else None


def _pick_heading(pools: Pools, rng: random.Random) -> str:
    rows = [h for h in pools.headings if h["level"] >= 2 and h["role"] == "achievements"]
    text = rng.choice(rows)["text"] if rows else "推进依法行政"
    return re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*", "", text)


def _ending(text: str, end: str) -> str:
    text = text.rstrip()
    while text and text[-1] in "。；：，、":
        text = text[:-1]
    return text + end


def _same_width_number(value: str, rng: random.Random) -> str:
    low = 10 ** (len(value) - 1) if len(value) > 1 else 1
    return str(rng.randint(low, 10 ** len(value) - 1))


def _num(k: int) -> str:
    return ENUM[k - 1] if k <= 10 else "十" + ENUM[k - 11] if k < 20 else str(k)


def _vary_numbers(text: str, rng: random.Random) -> str:
    """Another unit reports the same problem with its own figures."""
    def swap(m: re.Match[str]) -> str:
        value = m.group()
        if len(value) >= 4 or value in ("1", "2", "3"):
            return value  # years and ordinals stay
        return str(max(1, int(value) + rng.randint(-2, 5)))

    return re.sub(r"\d+", swap, text)
