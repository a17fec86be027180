"""A submission: one branch's changes against its base, as the review chain sees them.

The changes are taken between the merge base and the head, so merging the base into
the branch adds nothing of its own. The content hash binds approvals to exactly these
changes: every changed path with its blob before and after. A new commit, a merge from
the base that touches the same files, or a rebase onto a changed base all change it.
The hash covers each side's file mode too, so a `chmod`, or a file replaced by a symlink
or a submodule with the same text, is a change like any other.
"""

import hashlib
from dataclasses import dataclass, field

from portal import yamlfile
from portal.git import ZERO, Change, Git
from portal.project import is_item_path, is_ledger_path
from portal.roster import Person, Roster

ACTIONS = {"A": "thêm mới", "M": "sửa", "D": "xóa", "T": "sửa"}


@dataclass
class ItemChange:
    """An item (Markdown file under content/) the submission adds, edits or removes."""

    change: Change
    title: str = ""
    sections: set = field(default_factory=set)
    units: set = field(default_factory=set)
    authors: set = field(default_factory=set)  # roster ids of the people listed as authors
    was_published: bool = False
    is_published: bool = False
    unreadable: bool = False  # no valid front matter on one side: scope unknown

    @property
    def action(self) -> str:
        if self.was_published and self.change.status == "D":
            return "xóa tin bài đã đăng"
        if self.was_published and not self.is_published:
            return "gỡ tin bài đã đăng (published → draft)"
        if self.is_published and not self.was_published:
            return "đăng" if self.change.status != "A" else "thêm mới và đăng"
        return ACTIONS.get(self.change.status, "sửa")


@dataclass
class Submission:
    base: str
    head: str
    merge_base: str
    changes: list[Change]  # content, i.e. everything but the ledger
    ledger_changes: list[Change]
    items: list[ItemChange]

    @property
    def special_files(self) -> list[Change]:
        """Paths the submission turns into a symlink or a gitlink (the gate refuses both)."""
        return [c for c in [*self.changes, *self.ledger_changes] if c.new_kind]

    @property
    def content_hash(self) -> str:
        return content_hash(self.changes)

    @property
    def paths(self) -> list[str]:
        return [c.path for c in self.changes]


def content_hash(changes: list[Change]) -> str:
    digest = hashlib.sha256()
    for change in sorted(changes, key=lambda c: c.path):
        old = f"{change.old_mode}:{change.old_blob}"
        new = f"{change.new_mode}:{change.new_blob}"
        digest.update(f"{change.path}\0{old}\0{new}\n".encode())
    return "sha256:" + digest.hexdigest()


def load_submission(git: Git, base: str, head: str, roster: Roster | None) -> Submission:
    merge_base = git.merge_base(base, head)
    all_changes = git.changes(merge_base, head)
    changes = [c for c in all_changes if not is_ledger_path(c.path)]
    ledger_changes = [c for c in all_changes if is_ledger_path(c.path)]
    item_changes = [c for c in changes if is_item_path(c.path)]
    texts = git.blobs([b for c in item_changes for b in (c.old_blob, c.new_blob)])
    items = [_item(c, texts, roster) for c in item_changes]
    return Submission(base, head, merge_base, changes, ledger_changes, items)


def _item(change: Change, texts: dict, roster: Roster | None) -> ItemChange:
    item = ItemChange(change)
    for side, blob in (("old", change.old_blob), ("new", change.new_blob)):
        if blob == ZERO:
            continue
        meta = yamlfile.parse(texts.get(blob, ""), change.path).data
        if not isinstance(meta, dict) or not isinstance(meta.get("section"), str):
            item.unreadable = True
            continue
        item.title = str(meta.get("title") or item.title)
        item.sections.add(meta["section"])
        item.units.update(_units(meta, roster))
        item.authors.update(_author_ids(meta, roster))
        published = meta.get("status") == "published"
        item.was_published |= side == "old" and published
        item.is_published |= side == "new" and published
    return item


def _units(meta: dict, roster: Roster | None) -> set[str]:
    """Units whose head answers for the item (Điều 9.3): the unit it declares, the units
    its authors declare, and the roster unit of every author who is a contributor.

    The declared unit is the writer's word: an outside contributor declaring the board's
    own unit must not drop the unit-head stage, so the roster's unit counts as well."""
    units = {meta["unit"]} if isinstance(meta.get("unit"), str) else set()
    authors = meta.get("authors") if isinstance(meta.get("authors"), list) else []
    for author in authors:
        if not isinstance(author, dict):
            continue
        if isinstance(author.get("unit"), str):
            units.add(author["unit"])
        person = roster.resolve_author(author) if roster else None
        if person is not None and is_contributor(person) and person.unit:
            units.add(person.unit)
    return units


def is_contributor(person: Person) -> bool:
    """A contributor (at any time): the unit head of their roster unit answers for their work."""
    return any(term.role == "contributor" for term in person.terms)


def _author_ids(meta: dict, roster: Roster | None) -> set[str]:
    authors = meta.get("authors") if isinstance(meta.get("authors"), list) else []
    ids = set()
    for author in authors:
        if not isinstance(author, dict):
            continue
        person = roster.resolve_author(author) if roster else None
        ids.add(person.id if person else str(author.get("id") or author.get("name")))
    return ids
