"""A real portal repository with a real git history, for the royalty and report tests.

Every commit gets explicit author and committer dates (Vietnam time), so the
history is the same on every run; submissions land on main as `--no-ff` merges
(as the review chain lands them) or as plain commits.
"""

import os
import subprocess
from pathlib import Path

import yaml

from tests.conftest import make_site

BASE = {
    "kind": "news",
    "section": "tin-tuc",
    "status": "published",
    "summary": "Tóm tắt tin dùng trong kiểm thử nhuận bút.",
}


class PortalRepo:
    def __init__(self, root: Path, start: str = "2026-09-01 08:00"):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.content = make_site(self.root)
        self.branches = 0
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Thư ký")
        self.git("config", "user.email", "thultm.snv@hatinh.gov.vn")
        self.git("config", "commit.gpgsign", "false")
        self.commit("Portal data", start)

    def git(self, *args: str, when: str | None = None) -> str:
        env = dict(os.environ)
        if when:
            stamp = f"{when.replace(' ', 'T')}:00+07:00"
            env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
        result = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return result.stdout.strip()

    def write(self, relative: str, title: str, date: str, **fields) -> str:
        meta = {"title": title, **BASE, "date": date, **fields}
        meta.setdefault("unit", (fields.get("authors") or [{}])[0].get("unit", "van-phong"))
        text = (
            "---\n"
            + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
            + "---\n\nNội dung.\n"
        )
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return relative

    def remove(self, relative: str) -> None:
        (self.content / relative).unlink()

    def commit(self, message: str, when: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, when=when)
        return self.git("rev-parse", "HEAD")

    def merge(self, branch: str, when: str, change) -> str:
        """A submission: `change()` on a branch from main, committed, merged with --no-ff."""
        self.branches += 1
        branch = f"{branch}-{self.branches}"
        self.git("checkout", "-q", "-b", branch, "main")
        change()
        self.commit(f"Submit {branch}", when)
        self.git("checkout", "-q", "main")
        self.git("merge", "-q", "--no-ff", branch, "-m", f"Merge {branch}", when=when)
        return self.git("rev-parse", "HEAD")

    def submit(self, relative: str, title: str, date: str, when: str, **fields) -> str:
        return self.merge(
            relative.rsplit("/", 1)[-1].removesuffix(".md"),
            when,
            lambda: self.write(relative, title, date, **fields),
        )


def author(person_id: str, name: str, unit: str, **extra) -> dict:
    return {"name": name, "unit": unit, "id": person_id, **extra}


LAN = author("lan-pt", "Phạm Thị Lan", "cong-chuc-vien-chuc")
PHUC = author("phuc-nd", "Nguyễn Đình Phúc", "cai-cach-hanh-chinh")
DUC = author("duc-hv", "Hoàng Văn Đức", "cai-cach-hanh-chinh")
DINH = author("dinh-tc", "Trương Công Định", "van-thu-luu-tru")
ANH = author("anh-vtn", "Võ Thị Ngọc Ánh", "van-phong")
TUNG = author("tung-lv", "Lê Văn Tùng", "van-phong")
THU = author("thu-ltm", "Lê Thị Minh Thu", "van-phong")
SON = {"name": "Phan Văn Sơn", "id": "son-pv"}


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
    repo = PortalRepo(root)
    roster = repo.root / "reviews" / "roster.yml"
    roster.write_text(roster.read_text(encoding="utf-8") + EXTRA_MEMBER, encoding="utf-8")
    repo.commit("Roster: new member from 16/11", "2026-09-01 09:00")
    a = "tin-tuc/a-giao-ban.md"
    repo.submit(
        a,
        "Giao ban tháng mười",
        "2026-10-05 09:00",
        "2026-10-05 10:00",
        authors=[LAN],
        royalty={"work": "tin", "coefficient": 0.5},
    )
    repo.write(
        a,
        "Giao ban tháng mười (sửa)",
        "2026-10-05 09:00",
        authors=[LAN],
        royalty={"work": "tin", "coefficient": 0.9},
    )
    repo.commit("Fix a typo after publication", "2026-11-03 08:00")
    repo.submit(
        "tin-tuc/b-cai-cach.md",
        "Cải cách hành chính",
        "2026-11-04 08:00",
        "2026-11-04 09:00",
        kind="article",
        authors=[{**PHUC, "share": 60}, {**DUC, "share": 40}],
        royalty={"work": "bai", "coefficient": 2.0},
    )
    repo.submit(
        "tin-tuc/c-hen-gio.md",
        "Tin hẹn giờ tháng mười hai",
        "2026-12-02 08:00",
        "2026-11-06 09:00",
        authors=[LAN],
        royalty={"work": "tin", "coefficient": 0.4},
    )
    repo.submit(
        "tin-tuc/d-nhap.md",
        "Bản nháp",
        "2026-11-07 08:00",
        "2026-11-07 09:00",
        status="draft",
        authors=[LAN],
        royalty={"work": "tin", "coefficient": 1.0},
    )
    e = "tin-tuc/e-dang-lai.md"
    merge_e = repo.submit(
        e,
        "Tin đăng lại",
        "2026-11-10 08:00",
        "2026-11-10 09:00",
        authors=[LAN],
        royalty={"work": "tin", "coefficient": 0.5},
    )
    repo.git("revert", "--no-edit", "-m", "1", merge_e, when="2026-11-12 09:00")
    f = "tin-tuc/f-go-xuong.md"
    repo.submit(
        f,
        "Tin bị gỡ",
        "2026-11-14 08:00",
        "2026-11-14 09:00",
        authors=[DUC],
        royalty={"work": "tin", "coefficient": 1.0},
    )
    repo.write(
        f,
        "Tin bị gỡ",
        "2026-11-14 08:00",
        status="draft",
        authors=[DUC],
        royalty={"work": "tin", "coefficient": 1.0},
    )
    repo.commit("Unpublish F", "2026-11-15 08:00")
    repo.submit(
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
    )
    repo.submit(
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
    )
    repo.submit(
        e,
        "Tin đăng lại",
        "2026-11-10 08:00",
        "2026-11-20 09:00",
        authors=[LAN],
        royalty={"work": "tin", "coefficient": 0.5},
    )
    repo.submit(
        "tin-tuc/t1-video.md",
        "Video hội nghị",
        "2026-11-25 08:00",
        "2026-11-25 09:00",
        authors=[THU],
        royalty={"work": "video", "coefficient": 5.0},
    )
    repo.submit(
        "tin-tuc/t2-bai.md",
        "Bài của Thư ký",
        "2026-11-26 08:00",
        "2026-11-26 09:00",
        kind="article",
        authors=[THU],
        royalty={"work": "bai", "coefficient": 3.0},
    )
    return repo
