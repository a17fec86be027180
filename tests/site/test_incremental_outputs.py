"""What the incremental build must not skip, and what it keeps between builds.

A page is kept only when its file is the one written last time: a page edited or
deleted by hand is written again. The state keeps the digest of each page's search
text, not the text: a shard indexed again takes its other pages' texts from their files,
and the index is the same as a build from scratch's."""

import pickle

from tests.site.test_incremental import assert_same_as_cold, portal, rebuild  # noqa: F401

PAGE = "output/tin-tuc/tin-them-so-1/index.html"
OTHER = "output/tin-tuc/tin-them-so-2/index.html"


def test_pages_edited_or_deleted_by_hand_are_written_again(portal, tmp_path):  # noqa: F811
    page, other = portal / PAGE, portal / OTHER
    written = page.read_bytes()
    page.write_bytes(written.replace(b"</main>", "<p>Sửa tay</p></main>".encode()))
    other.unlink()
    rebuild(portal)
    assert page.read_bytes() == written
    assert other.is_file()
    assert_same_as_cold(portal, tmp_path / "scratch")


def test_a_page_edited_by_hand_to_the_same_size_is_written_again(portal):  # noqa: F811
    page = portal / PAGE
    written = page.read_bytes()
    edited = written.replace("Đà Nẵng".encode(), "Đà Lạt ".encode(), 1)
    assert len(edited) == len(written) and edited != written
    page.write_bytes(edited)
    rebuild(portal)
    assert page.read_bytes() == written


def test_the_state_keeps_digests_of_search_texts_not_the_texts(portal, tmp_path):  # noqa: F811
    state = (portal / "cache/portal-build.pickle").read_bytes()
    assert "tại Đà Nẵng và Hà Tĩnh".encode() not in state  # every added item's text
    version, loaded = pickle.loads(state)
    assert len(loaded.text_digests["tin-tuc/tin-them-so-1/index.html"]) == 32
    # One item edited: its quarter's shard is indexed again, with the texts of the
    # other pages of that quarter taken from their files.
    item = portal / "content/tin-tuc/them/tin-3.md"
    item.write_text(
        item.read_text(encoding="utf-8").replace("Nội dung của tin", "Nội dung mới của tin"),
        encoding="utf-8",
    )
    rebuild(portal)
    assert_same_as_cold(portal, tmp_path / "scratch")
