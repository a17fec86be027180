"""Real git repositories and real SSH keys for the review chain's tests.

Keys are made with ssh-keygen once per session; a repository with a main branch and a
submitted item (signed commits, built with tests/githistory.py) is built once per module
and copied for each test that changes it.
Attacks are made with plain git (hand-written ledger entries, signed or not), the way
someone going around `portal review approve` would.
"""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal import cli
from portal.git import Git
from portal.review.chain import evaluate, now
from portal.review.ledger import entry_trailers, format_time, ledger_path, render_ledger
from portal.review.submission import load_submission
from tests.githistory import Branch, Commit, Repo, keygen, public_key

REPO = Path(__file__).resolve().parents[2]
BRANCH = "tin-hoi-nghi"
ITEM = "content/tin-tuc/2026-11-29-hoi-nghi-cong-chuc.md"
OLD_ITEM = "content/tin-tuc/2026-10-01-tin-da-dang.md"

# id, name, e-mail, unit, roles (YAML flow mappings)
PEOPLE = [
    (
        "ctv",
        "Hoàng Văn Cường",
        "cuonghv@snv.vn",
        "cong-chuc-vien-chuc",
        ["{role: contributor, from: 2024-01-01}"],
    ),
    (
        "truong-dv",
        "Phạm Thị Lan",
        "lanpt@snv.vn",
        "cong-chuc-vien-chuc",
        ["{role: unit_head, unit: cong-chuc-vien-chuc, from: 2024-01-01}"],
    ),
    (
        "truong-dv-khac",
        "Bùi Thanh Hải",
        "haibt@snv.vn",
        "to-chuc-bien-che",
        ["{role: unit_head, unit: to-chuc-bien-che, from: 2024-01-01}"],
    ),
    (
        "uy-vien",
        "Đặng Quốc Bảo",
        "baodq@snv.vn",
        "thi-dua-khen-thuong",
        ["{role: member, sections: [tin-tuc], from: 2024-01-01}"],
    ),
    (
        "uy-vien-vb",
        "Nguyễn Đình Phúc",
        "phucnd@snv.vn",
        "cai-cach-hanh-chinh",
        ["{role: member, sections: [van-ban], from: 2024-01-01}"],
    ),
    (
        "pho-ban",
        "Trần Thị Hương",
        "huongtt@snv.vn",
        "van-phong",
        [
            "{role: deputy, from: 2024-01-01}",
            "{role: member, sections: [tin-tuc], from: 2024-01-01}",
        ],
    ),
    (
        "pho-ban-cu",
        "Lê Quang Vinh",
        "vinhlq@snv.vn",
        "van-phong",
        ["{role: deputy, from: 2020-01-01, until: 2025-12-31}"],
    ),
    (
        "truong-ban",
        "Nguyễn Văn Hùng",
        "hungnv@snv.vn",
        "ban-bien-tap",
        ["{role: head, from: 2024-01-01}"],
    ),
    (
        "thu-ky",
        "Lê Thị Minh Thu",
        "thultm@snv.vn",
        "van-phong",
        ["{role: secretary, from: 2024-01-01}"],
    ),
    (
        "quan-tri",
        "Lê Văn Tùng",
        "tunglv@snv.vn",
        "van-phong",
        ["{role: administrator, from: 2024-01-01}"],
    ),
]
OUTSIDER = ("la", "Người Lạ", "outsider@example.vn")
CHAIN = [
    ("truong-dv", "unit_head"),
    ("uy-vien", "member"),
    ("pho-ban", "deputy"),
    ("truong-ban", "head"),
]


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str
    key: Path  # private key; the public one is beside it (.pub)

    @property
    def public(self) -> str:
        return public_key(self.key)


@pytest.fixture(scope="session")
def people(tmp_path_factory) -> dict[str, Person]:
    folder = tmp_path_factory.mktemp("keys")
    everyone = {pid: (name, email) for pid, name, email, *_ in PEOPLE}
    everyone[OUTSIDER[0]] = OUTSIDER[1:]
    return {
        pid: Person(pid, name, email, keygen(folder, pid, email))
        for pid, (name, email) in everyone.items()
    }


def roster_yaml(people: dict[str, Person], extra: str = "") -> str:
    lines = ["people:"]
    for pid, name, email, unit, roles in PEOPLE:
        lines += [
            f"  - id: {pid}",
            f"    name: {name}",
            f"    email: {email}",
            f"    login: {pid}-gh",
            f"    unit: {unit}",
            "    roles:",
            *(f"      - {role}" for role in roles),
            "    keys:",
            f"      - {{key: {people[pid].public}, from: 2024-01-01}}",
        ]
    return "\n".join(lines) + "\n" + extra


def item_text(
    title="Hội nghị tập huấn công chức năm 2026",
    unit="cong-chuc-vien-chuc",
    section="tin-tuc",
    author="ctv",
    status="published",
    body="Nội dung tin.",
) -> str:
    return (
        f"---\ntitle: {title}\nkind: news\ndate: 2026-11-29 08:00\nsection: {section}\n"
        f"unit: {unit}\nstatus: {status}\nsummary: Tóm tắt.\nauthors:\n"
        f"  - {{name: Tác giả, id: {author}}}\n---\n\n{body}\n"
    )


def git(root: Path, *args: str, env: dict | None = None) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, env=env, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def write(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def act_as(root: Path, person: Person) -> None:
    git(root, "config", "user.email", person.email)
    git(root, "config", "user.name", person.name)
    git(root, "config", "user.signingkey", str(person.key))
    git(root, "config", "gpg.format", "ssh")
    git(root, "config", "commit.gpgsign", "true")  # content commits are signed (authorship)


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def make_repo(root: Path, people: dict[str, Person]) -> Path:
    """main set up by the administrator, the branch BRANCH where the contributor submitted
    ITEM; both commits signed, made now; the contributor is the one at the keyboard."""
    admin, contributor = people["quan-tri"], people["ctv"]
    start = {
        "reviews/roster.yml": roster_yaml(people),
        "reviews/policy.yml": (REPO / "reviews" / "policy.yml").read_text(encoding="utf-8"),
        OLD_ITEM: item_text(title="Tin đã đăng từ trước", body="Cũ."),
        "pelicanconf.py": "SITENAME = 'x'\n",
    }
    Repo(root, admin).run(
        Commit("Khởi tạo Cổng", files=start, author=admin, sign=True),
        Branch(BRANCH),
        Commit("Gửi tin hội nghị", files={ITEM: item_text()}, author=contributor, sign=True),
    )
    act_as(root, contributor)
    return root


def portal(root: Path, *args: str) -> int:
    """Run the real CLI in-process in `root` (as a user would in that folder)."""
    previous = os.getcwd()
    os.chdir(root)
    try:
        return cli.main(list(args))
    finally:
        os.chdir(previous)


def approve(root: Path, person: Person, *extra: str) -> int:
    act_as(root, person)
    return portal(root, "review", "approve", "--base", "main", *extra)


def run_chain(root: Path, people, upto: int = len(CHAIN)) -> None:
    for pid, _ in CHAIN[:upto]:
        assert approve(root, people[pid]) == 0


def verdict_of(root: Path, head: str = "HEAD"):
    return evaluate(Git(root), "main", head)


def hand_decision(
    root: Path,
    person: Person,
    stage: str,
    role: str,
    *,
    decision="approve",
    person_id: str | None = None,
    sign_with: Path | None = None,
    sign: bool = True,
    content: str | None = None,
    when=None,
) -> None:
    """A decision made with plain git, around `portal review approve` and its checks;
    `when` sets the date the signer claims (GIT_COMMITTER_DATE)."""
    repo = Git(root)
    submission = load_submission(repo, "main", "HEAD", None)
    path = next((c.path for c in submission.ledger_changes), None) or ledger_path(BRANCH, now())
    existing = (root / path).read_text(encoding="utf-8") if (root / path).exists() else None
    entries = [] if existing is None else __import__("yaml").safe_load(existing)["entries"]
    moment = (when or now()).replace(microsecond=0)
    entry = {
        "decision": decision,
        "stage": stage,
        "role": role,
        "person": person_id or person.id,
        "name": person.name,
        "content": content or submission.content_hash,
        "time": format_time(moment),
    }
    write(root, path, render_ledger(path, [*entries, entry]))
    git(root, "add", path)
    stamp = format_time(moment)
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    args = ["-c", "gpg.format=ssh", "-c", f"user.email={person.email}"]
    if sign:
        args += ["-c", f"user.signingkey={sign_with or person.key}"]
    else:
        args += ["-c", "commit.gpgsign=false"]
    trailers = [a for t in entry_trailers(entry, path) for a in ("--trailer", t)]
    git(root, *args, "commit", "-q", *(["-S"] if sign else []), "-m", "duyệt", *trailers, env=env)


@pytest.fixture(scope="module")
def origin(tmp_path_factory, people) -> Path:
    """main + the branch `tin-hoi-nghi` where the contributor submitted one item."""
    return make_repo(tmp_path_factory.mktemp("origin") / "repo", people)


@pytest.fixture
def repo(origin, tmp_path) -> Path:
    """A private copy of the module's repository for one test."""
    copy = tmp_path / "repo"
    shutil.copytree(origin, copy, symlinks=True)
    return copy


def roster_with_ci_key(tmp_path, monkeypatch, email: str):
    """Repositories made from now on list a CI key (purpose forge-ledger) in their roster;
    returns the key's private file (made by ssh-keygen)."""
    ci_key = keygen(tmp_path, "ci", email)
    public = " ".join(ci_key.with_suffix(".pub").read_text().split()[:2])
    extra = (
        f"ci_keys:\n  - {{key: {public}, email: {email}, purpose: forge-ledger, "
        "from: 2024-01-01}\n"
    )
    original = roster_yaml
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "roster_yaml", lambda p, more="": original(p, extra + more))
    return ci_key
