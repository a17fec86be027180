"""A portal repository with a real git history, for the royalty and report tests.

Built with tests/githistory.py: every commit has explicit dates (Vietnam time), so the
history is the same on every run; submissions land on main as `--no-ff` merges (as the
review chain lands them), other changes as plain commits on main. Paths are relative to
content/.
"""

from pathlib import Path

import yaml

from tests.conftest import REPO, make_site
from tests.githistory import Branch, Commit, Merge, Person, Repo, Revert, Switch, files_in

BASE = {
    "kind": "news",
    "section": "tin-tuc",
    "status": "published",
    "summary": "Tóm tắt tin dùng trong kiểm thử nhuận bút.",
}
CLERK = Person("Thư ký", "thultm.snv@hatinh.gov.vn")
ROSTER = "reviews/roster.yml"


class PortalRepo(Repo):
    """make_site's portal committed on 1 September 2026 (or `start`), then `steps`."""

    def __init__(self, root: Path, *steps, start: str = "2026-09-01 08:00"):
        super().__init__(root, CLERK)
        self.content = make_site(self.root)
        self.run(Commit("Portal data", start, files_in(self.root)), *steps)


def item(title: str, date: str, body: str = "Nội dung.", **fields) -> str:
    """An item's text: BASE's fields, the unit of its first author (or van-phong)."""
    meta = {"title": title, **BASE, "date": date, **fields}
    meta.setdefault("unit", (fields.get("authors") or [{}])[0].get("unit", "van-phong"))
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + f"---\n\n{body}\n"


def change(message: str, when: str, items: dict[str, str | None]) -> Commit:
    """A commit straight on main: each item's new text, or None to remove it."""
    return Commit(message, when, {f"content/{path}": text for path, text in items.items()})


def submit(relative: str, title: str, date: str, when: str, **fields) -> list:
    """A submission: the item committed on its own branch, merged with --no-ff at `when`."""
    slug = relative.rsplit("/", 1)[-1].removesuffix(".md")
    branch = f"{slug}-{when.replace(' ', '-').replace(':', '')}"
    return [
        Branch(branch, "main"),
        Commit(f"Submit {branch}", when, {f"content/{relative}": item(title, date, **fields)}),
        Switch("main"),
        Merge(branch, when, f"Merge {branch}"),
    ]


def replaced(path: str, *pairs: tuple[str, str]) -> str:
    """The repository's own `path` (as make_site copies it) with each old text replaced."""
    text = (REPO / path).read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


def author(person_id: str, name: str, unit: str, **extra) -> dict:
    return {"name": name, "unit": unit, "id": person_id, **extra}


LAN = author("lan-pt", "Phạm Thị Lan", "cong-chuc-vien-chuc")
PHUC = author("phuc-nd", "Nguyễn Đình Phúc", "cai-cach-hanh-chinh")
DUC = author("duc-hv", "Hoàng Văn Đức", "cai-cach-hanh-chinh")
DINH = author("dinh-tc", "Trương Công Định", "van-thu-luu-tru")
ANH = author("anh-vtn", "Võ Thị Ngọc Ánh", "van-phong")
TUNG = author("tung-lv", "Lê Văn Tùng", "van-phong")
THU = author("thu-ltm", "Lê Thị Minh Thu", "van-phong")


EXTRA_MEMBER = """  - id: mai-nt
    name: Ngô Thị Mai
    email: maint.snv@hatinh.gov.vn
    unit: xay-dung-chinh-quyen
    roles:
      - {role: member, sections: [tin-tuc], from: 2026-11-16}
"""


def build_newsroom(root: Path) -> PortalRepo:
    """Three months of a newsroom; the amounts each rule must give are in the tests.

    October: A published (paid in October).
    November: A edited (not paid again); B shared 60/40; C merged but dated
    December; D a draft; E merged, reverted, merged again; F published then
    unpublished in the month; G collected (origin rate); H a photographer;
    T1, T2 the secretary's video and article (over the tax threshold);
    a member who joined on 16 November.
    """
    a, e, f = "tin-tuc/a-giao-ban.md", "tin-tuc/e-dang-lai.md", "tin-tuc/f-go-xuong.md"
    tin = {"work": "tin", "coefficient": 1.0}
    return PortalRepo(
        root,
        Commit(
            "Roster: new member from 16/11",
            "2026-09-01 09:00",
            {ROSTER: replaced(ROSTER) + EXTRA_MEMBER},
        ),
        submit(
            a,
            "Giao ban tháng mười",
            "2026-10-05 09:00",
            "2026-10-05 10:00",
            authors=[LAN],
            royalty={"work": "tin", "coefficient": 0.5},
        ),
        change(
            "Fix a typo after publication",
            "2026-11-03 08:00",
            {
                a: item(
                    "Giao ban tháng mười (sửa)",
                    "2026-10-05 09:00",
                    authors=[LAN],
                    royalty={"work": "tin", "coefficient": 0.9},
                )
            },
        ),
        submit(
            "tin-tuc/b-cai-cach.md",
            "Cải cách hành chính",
            "2026-11-04 08:00",
            "2026-11-04 09:00",
            kind="article",
            authors=[{**PHUC, "share": 60}, {**DUC, "share": 40}],
            royalty={"work": "bai", "coefficient": 2.0},
        ),
        submit(
            "tin-tuc/c-hen-gio.md",
            "Tin hẹn giờ tháng mười hai",
            "2026-12-02 08:00",
            "2026-11-06 09:00",
            authors=[LAN],
            royalty={"work": "tin", "coefficient": 0.4},
        ),
        submit(
            "tin-tuc/d-nhap.md",
            "Bản nháp",
            "2026-11-07 08:00",
            "2026-11-07 09:00",
            status="draft",
            authors=[LAN],
            royalty=tin,
        ),
        submit(
            e,
            "Tin đăng lại",
            "2026-11-10 08:00",
            "2026-11-10 09:00",
            authors=[LAN],
            royalty={"work": "tin", "coefficient": 0.5},
        ),
        Revert("2026-11-12 09:00"),
        submit(f, "Tin bị gỡ", "2026-11-14 08:00", "2026-11-14 09:00", authors=[DUC], royalty=tin),
        change(
            "Unpublish F",
            "2026-11-15 08:00",
            {f: item("Tin bị gỡ", "2026-11-14 08:00", status="draft", authors=[DUC], royalty=tin)},
        ),
        submit(
            "thong-tin-khac/g-suu-tam.md",
            "Tin sưu tầm",
            "2026-11-16 08:00",
            "2026-11-16 09:00",
            kind="article",
            section="thong-tin-khac",
            origin="collected",
            source={"name": "Bộ Nội vụ", "url": "https://moha.gov.vn"},
            authors=[DINH],
            royalty={"work": "bai", "coefficient": 1.0},
        ),
        submit(
            "tin-tuc/h-anh.md",
            "Tin có ảnh",
            "2026-11-17 08:00",
            "2026-11-17 09:00",
            authors=[ANH, {**TUNG, "role": "photo"}],
            images=[
                {"src": "images/hoi-nghi.svg", "alt": "Ảnh hội nghị thứ nhất"},
                {"src": "images/hoi-nghi.svg", "alt": "Ảnh hội nghị thứ hai"},
            ],
            royalty={"work": "tin", "coefficient": 0.6},
        ),
        submit(
            e,
            "Tin đăng lại",
            "2026-11-10 08:00",
            "2026-11-20 09:00",
            authors=[LAN],
            royalty={"work": "tin", "coefficient": 0.5},
        ),
        submit(
            "tin-tuc/t1-video.md",
            "Video hội nghị",
            "2026-11-25 08:00",
            "2026-11-25 09:00",
            authors=[THU],
            royalty={"work": "video", "coefficient": 5.0},
        ),
        submit(
            "tin-tuc/t2-bai.md",
            "Bài của Thư ký",
            "2026-11-26 08:00",
            "2026-11-26 09:00",
            kind="article",
            authors=[THU],
            royalty={"work": "bai", "coefficient": 3.0},
        ),
    )
