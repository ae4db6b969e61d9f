"""Generated review rounds for the cross-source check: per unit a report and an interview transcript.

Planted per unit, deterministically per seed:

- **contradictions**: the report makes a checkable claim (a figure, 全部, 全覆盖, 100%, 均已…; ``claim=KEY``) and the
  interviewee's account denies or limits it (``contra=KEY`` on the transcript sentence);
- **omissions**: the interviewee raises problems the report does not state (issues ``v=x``, latent ``cross_source``):
  a problem from a paraphrase group the report does not use, or a failing on a claim topic the report does not
  claim at all (a “contradiction” with nothing to contradict);
- **agreement**: other claims the interviewee confirms, often with the same words a denial uses (没有…, 都…, 只…);
  problems the report states, said again in other words (another paraphrase of the same group); achievements;
  interviewers reading the claim out. About a quarter of the units get neither contradiction nor omission.

Turns come in every marking style (问/答, Q/A, 谈话人/谈话对象, named speakers, forum minutes with a speaker per
paragraph), with recorder remarks in brackets and full personal names in the header and signature. Records have
the corpus shape (``nlp/training/corpus/schema.py``) and are compiled by the corpus compiler, so the gold is exact; a
detector is given the text alone.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from nlp.training.corpus import interview_templates as tpl
from nlp.training.corpus.generate import (
    ENUM,
    HEADINGS,
    TITLES,
    Pools,
    Writer,
    _ending,
    _num,
    _pick,
    _pick_heading,
    unit_names,
)
from nlp.training.corpus.pools import strip_enumerator
from nlp.training.corpus.sources import parse_source

STYLES = ("qa", "latin", "roles", "named", "minutes")
_MARKERS = {"qa": ("问", "答"), "latin": ("Q", "A"), "roles": ("谈话人", "谈话对象")}


@dataclass(frozen=True)
class InterviewRoundConfig:
    """``contradictions`` and ``omissions``: probabilities of 0, 1 and 2 planted per unit."""

    units: int = 80
    seed: int = 0
    contradictions: tuple[float, float, float] = (0.55, 0.35, 0.10)
    omissions: tuple[float, float, float] = (0.5, 0.35, 0.15)
    styles: tuple[str, ...] = STYLES
    groups: tuple[str, ...] | None = None  # paraphrase groups problems are drawn from (default: all concrete ones)
    round_name: str = "generated-interviews"


@dataclass
class _Plan:
    """One unit's planted material."""

    index: int
    unit: str
    slots: dict[str, dict[str, Any]]  # topic key → its figures, for every claimed or discussed topic
    contradicted: list[tpl.Topic]
    confirmed: list[tpl.Topic]  # claimed and confirmed in the interview
    silent: list[tpl.Topic]  # claimed, never discussed
    unclaimed: list[tpl.Topic]  # not claimed; the interviewee reports a failing (an omission)
    stated: list[tuple[dict, int]]  # (paraphrase group, variant) the report states
    echoed: list[tuple[dict, int]]  # report problems the interviewee repeats in their own words
    omitted: list[tuple[dict, int]]


def generate_interview_round(cfg: InterviewRoundConfig, pools: Pools) -> list[dict[str, Any]]:
    """Two records per unit, report first (``r0000``) then its transcript (``t0000``); ``file`` is ``<id>.txt``."""
    rng = random.Random(cfg.seed)
    allowed = [g for g in pools.concrete if cfg.groups is None or g["group"] in cfg.groups]
    places = [u for u in unit_names(22 * 17) if not re.search(r"[镇乡](?!人民政府)", u)]
    records = []
    for index, unit in enumerate(rng.sample(places, min(cfg.units, len(places)))):
        plan = _plan(index, unit, cfg, allowed, rng)
        style = cfg.styles[index % len(cfg.styles)]
        for source, name in ((_report(index, plan, pools, rng), f"r{index:04d}"),
                             (_transcript(index, plan, style, pools, rng), f"t{index:04d}")):
            record = parse_source(source, name=name)
            record.update(batch="generated", round=cfg.round_name, file=f"{record['id']}.txt", noise=[])
            records.append(record)
    return records


def _plan(index: int, unit: str, cfg: InterviewRoundConfig, groups: list[dict], rng: random.Random) -> _Plan:
    n_contra = rng.choices((0, 1, 2), cfg.contradictions)[0]
    n_omit = rng.choices((0, 1, 2), cfg.omissions)[0]
    n_topic_omit = sum(rng.random() < 0.25 for _ in range(n_omit))
    n_other = rng.randint(1, 2)
    topics = rng.sample(tpl.TOPICS, n_contra + n_other + n_topic_omit)
    others = topics[n_contra:n_contra + n_other]
    confirmed = [t for t in others if rng.random() < 0.7]
    stated_groups = rng.sample(groups, rng.randint(3, 6))
    domains = {g["domain"] for g in stated_groups}
    # an omitted problem is from another domain than the report's problems, so "not stated" is unambiguous
    fresh = [g for g in groups if g["domain"] not in domains]
    omitted_groups = rng.sample(fresh, min(n_omit - n_topic_omit, len(fresh)))
    stated = [(g, rng.randrange(len(g["problems"]))) for g in stated_groups]
    echoed = rng.sample(stated, rng.randint(1, 2))
    slots = {}
    for t in topics:
        n = rng.randint(*t.n)
        k = rng.randint(1, max(1, min(5, n // 2)))
        slots[t.key] = {"n": n, "k": k, "m": n - k, "claim": rng.choice(t.claims), "contra": rng.choice(t.contra),
                        "agree": rng.choice(t.agree)}
    return _Plan(index, unit, slots, topics[:n_contra], confirmed, [t for t in others if t not in confirmed],
                 topics[n_contra + n_other:], stated, echoed,
                 [(g, rng.randrange(len(g["problems"]))) for g in omitted_groups])


def _words(unit: str) -> dict[str, str]:
    """How the unit names itself and its head, for the templates' {we} and {head}."""
    if unit.endswith("人民政府"):
        level = unit[-5]
        return {"we": f"{level}政府", "head": f"{level}长", "sub": "执法中队"}
    if unit.endswith("委员会"):
        return {"we": "我委", "head": "主任", "sub": "基层所"}
    return {"we": "我局", "head": "局长", "sub": "执法中队"}


def _fill(text: str, plan: _Plan, key: str) -> str:
    return text.format(**plan.slots[key], **_words(plan.unit))


def _avoiding(pools: Pools, label: str, rng: random.Random, unit: str, avoid: str | None) -> str:
    """A pool sentence that says nothing about the planted topics (their gold would be ambiguous)."""
    text = _pick(pools, label, rng, unit=unit)
    for _ in range(20):
        if not avoid or not re.search(avoid, text):
            break
        text = _pick(pools, label, rng, unit=unit)
    return text


def _report(index: int, plan: _Plan, pools: Pools, rng: random.Random) -> str:
    claimed = plan.contradicted + plan.confirmed + plan.silent
    avoid = "|".join(t.avoid for t in claimed + plan.unclaimed) or None
    kind = rng.choice(list(TITLES))
    title = TITLES[kind].format(unit=plan.unit, year=2024)
    out = Writer()
    out.header(id=f"r{index:04d}", kind=kind, title=title, unit=plan.unit,
               level="city" if "市" in plan.unit[:3] else "county", year=2024, style="generated", verdict="none")
    out.line("T", title)
    out.para([("O", _avoiding(pools, "other", rng, plan.unit, avoid))])
    out.line("H1", f"一、{rng.choice(HEADINGS['achievements'])}")
    n_sub = rng.randint(2, 4)
    paragraphs: list[list[tuple[str, str]]] = [
        [("A", _avoiding(pools, "achievement", rng, plan.unit, avoid)) for _ in range(rng.randint(3, 5))]
        for _ in range(n_sub)]
    for t in claimed:
        para = rng.choice(paragraphs)
        claim = _fill(plan.slots[t.key]["claim"], plan, t.key)
        para.insert(rng.randint(0, len(para)), (f"A[claim={t.key}-{index}]", claim))
    for k, para in enumerate(paragraphs):
        out.line("H2", f"（{_num(k + 1)}）{_pick_heading(pools, rng)}")
        out.para(para)
    out.line("H1", f"二、{rng.choice(HEADINGS['problems'])}")
    lead = _pick(pools, "problem", rng, lead_in=True, unit=plan.unit)
    out.para([("P", lead if lead.endswith("：") else "对照上级要求，我们的工作还存在一些差距：")])
    items, measures = [], []
    for k, (group, variant) in enumerate(plan.stated):
        attrs = f"d={group['domain']} v=e g={group['group']}"
        if group.get("measures") and rng.random() < 0.8:
            measures.append(_ending(strip_enumerator(rng.choice(group["measures"])), "。"))
            attrs += f" m={len(measures)}"
        end = "。" if k == len(plan.stated) - 1 else "；"
        items.append((f"P[{attrs}]", f"{ENUM[k]}是{_ending(strip_enumerator(group['problems'][variant]), end)}"))
    out.para(items)
    out.para([("C", _avoiding(pools, "cause", rng, plan.unit, avoid)) for _ in range(rng.randint(1, 2))])
    out.line("H1", f"三、{rng.choice(HEADINGS['measures'])}")
    measures += [_avoiding(pools, "measure", rng, plan.unit, avoid) for _ in range(rng.randint(1, 2))]
    out.para([(f"M[#{k + 1}]" if k < len(measures) else "M", m) for k, m in enumerate(measures)])
    return out.text()


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(tpl.SURNAMES) + "".join(rng.sample(tpl.GIVEN, rng.choice((1, 2, 2))))
        if name not in used:
            used.add(name)
            return name


class _Dialog:
    """Turns in one marking style; each turn is a paragraph whose first line carries the speaker marker."""

    def __init__(self, style: str, rng: random.Random, interviewers: list[str],
                 speakers: list[tuple[str, str]]) -> None:
        self.style, self.rng = style, rng
        self.interviewers, self.speakers = interviewers, speakers  # speakers: (name, post)
        self.paragraphs: list[list[tuple[str, str]]] = []
        self.asked: set[str] = set()

    def _marker(self, asking: bool, who: int) -> tuple[str, str]:
        """(spk value, written prefix)."""
        if self.style in _MARKERS:
            mark = _MARKERS[self.style][0 if asking else 1]
            return mark, f"{mark}："
        if self.style == "named":
            name = self.interviewers[0] if asking else self.speakers[who][0]
            return name, f"{name}："
        name, post = (self.interviewers[0], "督察组组长") if asking else self.speakers[who]
        return name, f"{name}（{post}）："

    def turn(self, asking: bool, sentences: list[tuple[str, str]], who: int = 0) -> None:
        spk, prefix = self._marker(asking, who)
        (label, attrs), text = _split_tag(sentences[0][0]), sentences[0][1]
        first = f"{label}[{' '.join([*attrs, f'spk={spk}'])}]"
        self.paragraphs.append([(first, prefix + text), *sentences[1:]])

    def ask(self, *texts: str, options: tuple[str, ...] = ()) -> None:
        """An inspector's turn: ``texts``, or one of ``options`` not asked yet (a repeated line reads as a copy)."""
        fresh = [t for t in options if t not in self.asked] or list(options)
        texts = texts or (self.rng.choice(fresh),)
        self.asked.update(texts)
        self.turn(True, [("O", t) for t in texts])


def _split_tag(tag: str) -> tuple[str, list[str]]:
    m = re.fullmatch(r"([APCMO])(?:\[(.*)\])?", tag)
    assert m, tag
    return m.group(1), (m.group(2) or "").split()


def _transcript(index: int, plan: _Plan, style: str, pools: Pools, rng: random.Random) -> str:
    used: set[str] = set()
    interviewers = [_name(rng, used) for _ in range(2)]
    n_speakers = rng.randint(2, 3) if style == "minutes" else 1
    speakers = [(_name(rng, used), post) for post in rng.sample(tpl.POSTS, n_speakers)]
    recorder = _name(rng, used)
    group = rng.choice(tpl.INSPECTORS)
    date = f"2025年{rng.randint(3, 6)}月{rng.randint(1, 28)}日"
    out = Writer()
    title = f"{plan.unit}法治建设督察{'座谈会' if style == 'minutes' else '谈话'}记录"
    out.header(id=f"t{index:04d}", kind="transcript", title=title, unit=plan.unit, level="department", year=2024,
               style=style, verdict="none")
    out.line("T", title)
    place = f"{plan.unit}{rng.choice(tpl.PLACES_OF_TALK)}"
    if style == "minutes":
        people = "、".join(f"{n}（{plan.unit}{p}）" for n, p in speakers)
        header = [f"时间：{date}下午2时30分", f"地点：{place}", f"主持人：{interviewers[0]}，{group}组长",
                  f"参加人员：{people}", f"记录人：{recorder}"]
    else:
        asking = (f"{interviewers[0]}（{group}组长）、{interviewers[1]}（{group}成员）" if style == "named"
                  else f"{interviewers[0]}、{interviewers[1]}（{group}）")
        header = [f"谈话时间：{date}上午9时至10时{rng.randint(10, 50)}分", f"谈话地点：{place}", f"谈话人：{asking}",
                  f"谈话对象：{speakers[0][0]}，{plan.unit}{speakers[0][1]}", f"记录人：{recorder}"]
    for line in header:
        out.para([("O", line)])
    dialog = _Dialog(style, rng, interviewers, speakers)
    _converse(dialog, plan, pools, rng)
    for para in dialog.paragraphs:
        out.para(para)
    out.para([("O", rng.choice(tpl.CLOSING))])
    out.para([("O", f"签名：{speakers[0][0]}")])
    out.para([("O", date)])
    return out.text()


def _converse(dialog: _Dialog, plan: _Plan, pools: Pools, rng: random.Random) -> None:
    who = len(dialog.speakers)
    dialog.ask(options=tpl.OPENING_ASK)
    dialog.turn(False, [("O", rng.choice(tpl.OPENING_ANSWER))])
    dialog.ask(options=tpl.INTRO_ASK)
    dialog.turn(False, [("O", rng.choice(tpl.INTRO_ANSWER).format(a=rng.randint(3, 9), b=rng.randint(2, 6)))])
    segments = ([("contra", t) for t in plan.contradicted] + [("agree", t) for t in plan.confirmed]
                + [("omit_topic", t) for t in plan.unclaimed] + [("echo", g) for g in plan.echoed]
                + [("omit", g) for g in plan.omitted] + [("achieve", None)] * rng.randint(1, 2))
    rng.shuffle(segments)
    avoid = "|".join(t.avoid for t in plan.contradicted + plan.confirmed + plan.silent + plan.unclaimed) or None
    for what, item in segments:
        speaker = rng.randrange(who)
        if what in ("contra", "agree", "omit_topic"):
            topic = item
            lead = rng.random()
            if what != "omit_topic" and lead < 0.45:  # the inspector reads the claim out first
                quote = _fill(topic.quote, plan, topic.key)
                dialog.ask(rng.choice(tpl.QUOTE_LEADS).format(quote=quote), rng.choice(tpl.QUOTE_FOLLOW))
            elif what == "contra" and lead > 0.7:  # or the interviewee brings it up unasked
                dialog.ask(options=tpl.PROBLEMS_ASK)
            else:
                dialog.ask(_fill(rng.choice(topic.ask), plan, topic.key))
            remark = rng.choice(tpl.RECORDER_REMARKS) if rng.random() < 0.3 else ""
            if what == "agree":
                dialog.turn(False, [("A", remark + _fill(plan.slots[topic.key]["agree"], plan, topic.key))], speaker)
                continue
            basis = f"contra={topic.key}-{plan.index} v=e" if what == "contra" else "v=x"
            said = [(f"P[d={topic.domain} {basis}]", remark + _fill(plan.slots[topic.key]["contra"], plan, topic.key))]
            if what == "contra" and rng.random() < 0.5:
                said.append(("P[d=transparency_reporting v=x]", rng.choice(tpl.EXPLAIN)))
            dialog.turn(False, said, speaker)
        elif what in ("echo", "omit"):
            group, variant = item
            dialog.ask(options=tpl.PROBLEMS_ASK)
            if what == "omit":
                lead = rng.choice(tpl.OMISSION_LEADS + tpl.PROBLEM_LEADS)
                text = lead + _ending(strip_enumerator(group["problems"][variant]), "。")
            else:
                text = _retell(group["problems"][variant], rng)
            basis = "v=x" if what == "omit" else "v=e"
            dialog.turn(False, [(f"P[d={group['domain']} {basis} g={group['group']}]", text)], speaker)
        else:
            dialog.ask(options=tpl.ACHIEVE_ASK)
            dialog.turn(False, [("A", _avoiding(pools, "achievement", rng, plan.unit, avoid))
                                for _ in range(rng.randint(1, 2))], speaker)
    dialog.ask(options=tpl.CAUSES_ASK)
    dialog.turn(False, [("C", _avoiding(pools, "cause", rng, plan.unit, avoid)) for _ in range(rng.randint(1, 2))],
                rng.randrange(who))
    dialog.ask(options=tpl.MEASURES_ASK)
    dialog.turn(False, [("M", _avoiding(pools, "measure", rng, plan.unit, avoid)) for _ in range(rng.randint(1, 2))],
                rng.randrange(who))


def _retell(sentence: str, rng: random.Random) -> str:
    """A problem the report states, as an interviewee says it: a spoken lead, the clauses that carry the facts
    (the first and those with a figure), everyday words for officialese."""
    clauses = [c for c in re.split(r"[，,]", _ending(strip_enumerator(sentence), "")) if c]
    keep = [c for k, c in enumerate(clauses) if k == 0 or re.search(r"\d", c) or rng.random() < 0.4]
    text = "，".join(keep)
    for pattern, spoken in tpl.SPOKEN:
        if rng.random() < 0.6:
            text = re.sub(pattern, spoken, text)
    return rng.choice(tpl.RETELL_LEADS) + text + "。"
