"""The project's layout: the one place that knows where everything lives.

A portal project is a git repository with `pelicanconf.py` at its top and

    content/                 items (Markdown + YAML front matter), one folder per kind
    content/data/            the secretary's data files (units, sections, directory...)
    content/data/schedule/   one weekly schedule per file, `YYYY-Www.yml`
    content/images/, files/  uploads the portal publishes
    reviews/                 the policies: roster, review policy, royalty rates
    reviews/ledger/          signed review decisions (and forge/ for the CI's record)
    reviews/intake/          originals of items received by mail or as Word files
    reviews/intake.yml       the mailbox the intake reads (IMAP settings)
    .github/CODEOWNERS       generated from the roster and the policy
    desk.yml                 the browser desk's settings (forge, repository, auth)
    cache/                   the build's incremental state (never committed)

Paths inside git are repository-relative POSIX strings (`REPO_*`); paths on disk are
reached through a `Project`. Every domain asks here instead of spelling a folder.
"""

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from portal.errors import PortalError

CONTENT = "content"
DATA = "data"
SCHEDULE = "schedule"
IMAGES, FILES = "images", "files"
UPLOADS = (IMAGES, FILES)
NOT_ITEMS = (DATA, *UPLOADS)  # folders of content/ that hold no items
ITEM_SUFFIX = ".md"
DATA_SUFFIX = ".yml"

REPO_ROSTER = "reviews/roster.yml"
REPO_POLICY = "reviews/policy.yml"
REPO_RATES = "reviews/royalty-rates.yml"
REPO_LEDGER = "reviews/ledger"
REPO_FORGE_LEDGER = "reviews/ledger/forge"
REPO_INTAKE = "reviews/intake"
REPO_INTAKE_SETTINGS = "reviews/intake.yml"
REPO_CODEOWNERS = ".github/CODEOWNERS"
REPO_DESK = "desk.yml"
CONFIG = "pelicanconf.py"
CACHE = "cache"


def is_item_path(path: str, content: str = CONTENT) -> bool:
    """Is the repository path `path` an item? `content/<…>/<name>.md`, outside the data and
    upload folders. Plain string work: the gate and CODEOWNERS ask this of every file."""
    prefix = f"{content}/" if content else ""
    if not path.startswith(prefix):
        return False
    relative = path[len(prefix) :]
    top, _, _ = relative.partition("/")
    name = relative.rsplit("/", 1)[-1]
    return name.endswith(ITEM_SUFFIX) and name != ITEM_SUFFIX and top not in NOT_ITEMS


def is_ledger_path(path: str) -> bool:
    return path.startswith(REPO_LEDGER + "/")


@dataclass(frozen=True)
class Project:
    """A portal project on disk: its top folder and its content folder."""

    root: Path
    content: Path

    @classmethod
    def at(cls, root: Path | str) -> "Project":
        root = Path(root).resolve()
        return cls(root, root / CONTENT)

    @classmethod
    def of_content(cls, content_root: Path | str) -> "Project":
        """The project whose content folder is `content_root` (its parent is the top)."""
        content = Path(content_root).resolve()
        return cls(content.parent, content)

    @classmethod
    def find(cls, start: Path | str = ".") -> "Project":
        """The project holding `start`: the nearest folder with pelicanconf.py and content/,
        or a folder named content/ with a data/ folder (a content tree on its own)."""
        start = Path(start).resolve()
        for folder in [start, *start.parents]:
            if (folder / CONFIG).exists() and (folder / CONTENT).is_dir():
                return cls.at(folder)
            if folder.name == CONTENT and (folder / DATA).is_dir():
                return cls.of_content(folder)
        raise PortalError(
            f"không tìm thấy thư mục content/ của Cổng từ '{start}' (cần {CONFIG} ở thư mục gốc)"
        )

    # --- the content folder ---------------------------------------------------------
    @property
    def data(self) -> Path:
        return self.content / DATA

    @property
    def schedules(self) -> Path:
        return self.data / SCHEDULE

    def data_file(self, name: str) -> Path:
        return self.data / f"{name}{DATA_SUFFIX}"

    # --- the policies and records beside it -----------------------------------------
    def path(self, repo_path: str) -> Path:
        """A repository path (`REPO_*`) on disk."""
        return self.root / PurePosixPath(repo_path)

    @property
    def roster(self) -> Path:
        return self.path(REPO_ROSTER)

    @property
    def policy(self) -> Path:
        return self.path(REPO_POLICY)

    @property
    def rates(self) -> Path:
        return self.path(REPO_RATES)

    @property
    def ledger(self) -> Path:
        return self.path(REPO_LEDGER)

    @property
    def codeowners(self) -> Path:
        return self.path(REPO_CODEOWNERS)

    @property
    def cache(self) -> Path:
        return self.root / CACHE

    def repo_path(self, path: Path) -> str:
        """`path` on disk as a repository path (POSIX, relative to the top)."""
        return Path(path).resolve().relative_to(self.root).as_posix()

    @property
    def content_prefix(self) -> str:
        """The content folder as a repository path: "content" in every real project."""
        return self.repo_path(self.content)
