from __future__ import annotations

from nlp.extract.issue_typer import HedgeFeatures, IssueTyper

TEXTS = ["部分干部法治思维还有提升空间。", "执法案卷中有7件缺少法制审核记录。", "个别单位学法还不够深入。",
         "全年有3件复议案件被撤销。", "少数科室执法文书有待规范。", "法规科未对2件文件开展合法性审核。"]
HEDGED = [True, False, True, False, True, False]


def test_hedged_has_its_own_word_features_and_predicts_all_three() -> None:
    typer = IssueTyper().fit(TEXTS, ["legal_thinking", "law_enforcement"] * 3, HEDGED, [True, False] * 3)
    out = typer.predict(["部分科室法治意识还有待提高。", "有5件案卷未经法制审核。"])
    assert [h for _, h, _ in out] == [True, False]
    assert typer.predict([]) == []


def test_hedge_features_mark_softening_and_plain_words() -> None:
    row = HedgeFeatures().transform(["似乎还有提升空间。"]).toarray()[0]
    plain = HedgeFeatures().transform(["执法严重不规范。"]).toarray()[0]
    assert row.sum() > 0 and plain.sum() > 0 and (row != plain).any()


def test_a_typer_pickled_before_hedge_features_still_predicts() -> None:
    typer = IssueTyper().fit(TEXTS, ["legal_thinking", "law_enforcement"] * 3, HEDGED, [True, False] * 3)
    del typer.hedge_features_
    typer.hedged_ = typer.vague_  # an old typer's hedged model used the shared features
    assert len(typer.predict(["部分干部学法不深。"])) == 1
