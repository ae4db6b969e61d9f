from __future__ import annotations

from nlp.segment.tokens import blank_zh, cut, jieba_tokenizer


def test_jieba_segmentation_is_pinned() -> None:
    # pinned so that a dictionary change shows up as a diff
    assert cut("全面推行行政执法三项制度") == ["全面推行", "行政", "执法", "三项", "制度"]


def test_jieba_cache_in_project_folder(tmp_path, monkeypatch) -> None:
    tokenizer = jieba_tokenizer(str(tmp_path))
    assert tokenizer.tmp_dir == str(tmp_path)


def test_spacy_blank_zh_uses_jieba() -> None:
    zh = blank_zh()
    doc = zh("规范性文件合法性审核")
    assert [t.text for t in doc] == cut("规范性文件合法性审核")
    assert doc.text == "规范性文件合法性审核"
