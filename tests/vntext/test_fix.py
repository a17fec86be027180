"""Whole documents: front matter edited in place, paragraphs decided one by one."""

import yaml

from portal.vntext.fix import fix_text
from portal.vntext.legacy import encode_viqr, encode_vni, tcvn3_mojibake

FRONT = """---
title: "{title}"
category: {category}
tags: [{tag}, Cải cách]
date: 2025-01-15 08:30
summary: |
  {summary}
---

"""


def document(encode) -> str:
    return (
        FRONT.format(
            title=encode("Thông báo tuyển dụng công chức"),
            category=encode("Tin tức"),
            tag=encode("Tuyển dụng"),
            summary=encode("Hội đồng tuyển dụng thông báo danh sách thí sinh"),
        )
        + encode("Các cơ quan, đơn vị gửi báo cáo về Sở Nội vụ trước ngày 15 tháng 12.")
        + "\n"
    )


def test_front_matter_values_are_fixed_in_place_and_stay_valid_yaml():
    source = document(encode_vni)
    fixed, changes, ambiguous = fix_text(source)
    assert fixed == document(lambda text: text)
    assert {c.field for c in changes} == {"title", "category", "tags", "summary", "body"}
    assert ambiguous == []
    front = fixed.split("---\n")[1]
    data = yaml.load(front, Loader=yaml.CSafeLoader)
    assert data["title"] == "Thông báo tuyển dụng công chức"
    assert data["tags"] == ["Tuyển dụng", "Cải cách"]
    assert sorted(data) == ["category", "date", "summary", "tags", "title"]


def test_change_positions_name_line_and_column():
    _, changes, _ = fix_text(document(encode_vni))
    title = next(c for c in changes if c.field == "title")
    assert (title.line, title.column) == (2, 9)
    body = next(c for c in changes if c.field == "body")
    assert (body.line, body.column) == (10, 1)


def test_a_paragraph_mixing_unicode_and_legacy_lines():
    text = "Dòng này đã đúng.\n" + tcvn3_mojibake("Dòng này gõ bằng mã TCVN3 cũ.") + "\n"
    assert fix_text(text)[0] == "Dòng này đã đúng.\nDòng này gõ bằng mã TCVN3 cũ.\n"


def test_documents_mixing_encodings_by_paragraph(corpus_documents):
    assert len(corpus_documents) >= 10
    for doc in corpus_documents:
        fixed, _, _ = fix_text(doc["text"])
        assert fixed == doc["expected"], doc["id"]
        assert fix_text(fixed)[0] == fixed  # idempotent


def test_correct_text_is_returned_unchanged():
    text = "---\ntitle: Sở Nội vụ\n---\n\r\nVăn bản đúng, “có ngoặc”.\r\n\n```\nco^.ng\n```\n"
    assert fix_text(text) == (text, [], [])


def test_code_blocks_are_not_touched():
    code = "```\n" + encode_viqr("Cộng hòa xã hội chủ nghĩa") + "\n```\n"
    assert fix_text(code)[0] == code


def test_a_change_that_would_break_yaml_is_refused():
    # The VIQR apostrophe inside single quotes is doubled (YAML escape): decoding it would
    # leave a lone quote, so the value is reported instead of changed.
    value = "Co^.ng ho`a xa~ ho^.i chu? nghi~a Vie^.t Nam: ''Ddo^.c la^.p''"
    text = f"---\ntitle: '{value}'\n---\n"
    fixed, changes, ambiguous = fix_text(text)
    yaml.load(fixed.split("---\n")[1], Loader=yaml.CSafeLoader)
    assert fixed == text or changes


def test_front_matter_values_are_found_by_the_yaml_parser():
    # UTF-8 read as cp1252 keeps undefined bytes as C1 controls, which YAML refuses to read:
    # they do not hide the values. A plain value folded over two lines is fixed line by line;
    # a list of mappings names each value by its own key.
    moj = "Sá»Ÿ Ná»™i vá»¥ Thá»\x9di gian"
    text = (
        f"---\ntitle: {moj}\ntags: ['{moj}']\nsummary: {encode_vni('Thông báo tuyển')}\n"
        f"  {encode_vni('dụng công chức')}\nauthors:\n  - name: {encode_vni('Nguyễn Văn Hùng')}\n"
        "---\n"
    )
    fixed, changes, ambiguous = fix_text(text)
    assert fixed == (
        "---\ntitle: Sở Nội vụ Thời gian\ntags: ['Sở Nội vụ Thời gian']\n"
        "summary: Thông báo tuyển\n  dụng công chức\nauthors:\n  - name: Nguyễn Văn Hùng\n---\n"
    )
    assert ambiguous == []
    assert {(c.line, c.field) for c in changes} == {
        (2, "title"),
        (3, "tags"),
        (4, "summary"),
        (5, "summary"),
        (7, "name"),
    }
