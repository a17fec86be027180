"""What the build keeps out of memory: the pages' search texts and the items' HTML wait
in spool files (`incremental.TextSpool`) and read back the same; the access paths of
the pages are one object each; what only reading or rendering needs is dropped."""

import os
from pathlib import Path

from pelican.contents import Article

from portal.site import incremental, tracking
from portal.site.forking import fork_map
from portal.site.incremental import TextSpool, spill_contents
from tests.site.test_incremental import assert_same_as_cold, portal, rebuild  # noqa: F401

TEXTS = ["Đà Nẵng và Hà Tĩnh", "", "Sở Nội vụ " * 500, "Ủy ban nhân dân tỉnh\u2042 da nang"]


def test_texts_read_back_as_they_were_put_also_from_a_forked_process():
    spool = TextSpool()
    spool.ready()
    here = [spool.put(text) for text in TEXTS]
    there = fork_map(lambda text: (spool.put(text), os.getpid()), TEXTS * 20, 2)
    assert len({pid for _, pid in there}) == 2  # both processes appended to the spool
    assert [spool.get(place) for place in here] == TEXTS
    assert [spool.get(place) for place, _ in there] == TEXTS * 20
    folder = Path(spool.folder)
    spool.close()
    assert not folder.exists()


def _article(html: str) -> Article:
    """An item as the portal's build makes it: Pelican's class, frozen."""
    article = Article(html, metadata={"title": "Tin"}, context={"localsiteurl": ""})
    incremental.remember_url_parts(article)
    return article


def test_a_spilled_items_html_is_read_back_on_each_use():
    html = '<p>Nội dung <a href="https://example.org/">Đà Nẵng</a></p>'
    article, spool = _article(html), TextSpool()
    before = article.get_content("..")
    spill_contents([article], spool)
    assert "_content" not in article.__dict__  # no longer held by the item
    memo = Article.get_content.cache  # Pelican's memo of every item's content
    remembered = len(memo)
    assert article._content == html and article.content == before
    assert len(memo) == remembered  # a spilled item's HTML is not kept there either
    article._content = "<p>Mới</p>"  # set again: held again
    assert article.__dict__["_content"] == "<p>Mới</p>"
    assert incremental.SPILLED not in article.__dict__
    spool.close()


def test_whether_a_spilled_item_links_to_others_is_known_without_reading_it_back():
    linked = _article('<p><a href="{filename}/tin-tuc/khac.md">Tin khác</a></p>')
    plain, spool = _article("<p>Không có liên kết</p>"), TextSpool()
    spill_contents([linked, plain], spool)
    spool.close()  # its files gone: reading the HTML back would fail
    assert tracking.has_intrasite_links(linked) and not tracking.has_intrasite_links(plain)


def test_a_build_rendered_in_forked_processes_equals_one_in_a_single_process(
    portal,  # noqa: F811
    tmp_path,
):
    """The portal's cold build forks a renderer (more than PARALLEL_FROM pages) and spills
    the items' HTML; the same site built with one process is the same, file for file."""
    pages = [p for p in (portal / "output").rglob("*.html")]
    assert len(pages) >= incremental.PARALLEL_FROM
    config = portal / "pelicanconf.py"
    config.write_text(
        config.read_text(encoding="utf-8") + "\nPORTAL_BUILD_PROCESSES = 1\n", encoding="utf-8"
    )
    rebuild(portal)  # a setting changed: every page rendered again, in one process
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "PORTAL_BUILD_PROCESSES = 1\n", "PORTAL_BUILD_PROCESSES = 2\n"
        ),
        encoding="utf-8",
    )
    assert_same_as_cold(portal, tmp_path / "scratch")  # the copy: two processes, spilled
