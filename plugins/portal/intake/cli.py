"""`portal intake PATH…` and `portal intake --imap`: what units mailed, as draft submissions.

Each input becomes a branch `intake/<date>-<title>` with one commit (see `chain`);
`--dry-run` only shows what would be made, `--here` writes the files into the working
tree without git, `--push REMOTE` pushes each branch for its pull request.
Exit code: 0 all taken in, 1 some input refused (each said, nothing lost), 2 usage.
"""

import argparse
import sys
from pathlib import Path

from portal.content import sitedata
from portal.errors import PortalError
from portal.intake import chain, imap
from portal.intake.limits import IntakeError
from portal.intake.mail import Submission, from_docx_file, from_message
from portal.intake.sources import DOCUMENT, inputs
from portal.project import CONTENT


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "intake",
        help="nhận tin bài gửi qua thư hoặc tệp Word thành bản nháp (Điều 8.1)",
        description=(
            "Chuyển tệp Word (.docx), thư (.eml), thư mục Maildir, tệp mbox hoặc hộp thư IMAP "
            "thành bản nháp tin bài: mỗi lần gửi một nhánh intake/… với một commit, bản gốc "
            "lưu trong reviews/intake/ kèm TOM-TAT.md ghi những gì còn phải điền."
        ),
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="ĐƯỜNG_DẪN")
    parser.add_argument("--imap", action="store_true", help="đọc hộp thư IMAP của Cổng")
    parser.add_argument("--dry-run", action="store_true", help="chỉ cho xem, không tạo gì")
    parser.add_argument("--here", action="store_true", help="ghi tệp vào thư mục, không commit")
    parser.add_argument("--push", metavar="REMOTE", help="đẩy từng nhánh lên REMOTE (origin)")
    parser.add_argument("--root", type=Path, default=Path("."), help="thư mục của Cổng")
    parser.add_argument(
        "--base", default="HEAD", help="nhánh gốc của các nhánh intake/… (mặc định: nhánh hiện tại)"
    )
    parser.set_defaults(func=run)


UNSIGNED = (
    "  Chú ý: commit chưa ký (chưa đặt khóa ký user.signingkey). Cổng duyệt chỉ nhận thay đổi "
    "nội dung có chữ ký của người trong roster: đặt khóa theo docs/review.md rồi ký lại commit "
    "(git switch NHÁNH && git commit --amend --no-edit -S) trước khi gửi duyệt."
)


class _Run:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        start = args.root.resolve()
        self.root = start if args.here else chain.repository_root(start)
        self.site = sitedata.load(self.root / CONTENT)
        if not self.site.sections:
            raise PortalError(
                f"không đọc được content/data/sections.yml trong '{self.root}': chạy lệnh trong "
                "thư mục của Cổng (hoặc chỉ ra bằng --root)"
            )
        self.taken_keys = {} if args.here else chain.taken_keys(self.root)
        self.taken_paths: set[str] = set()
        self.refused = 0

    def say(self, text: str) -> None:
        print(text, flush=True)

    def refuse(self, error: IntakeError) -> None:
        self.refused += 1
        print(f"Lỗi: {error}", file=sys.stderr, flush=True)

    def take(self, shown: str, kind: str, data: bytes) -> str | None:
        """One input into the chain; the branch (or commit) holding it, None if refused."""
        sub = self._submission(shown, kind, data)
        if sub.key in self.taken_keys:
            self.say(f"{shown}: đã nhận trước đây ({self.taken_keys[sub.key]}): bỏ qua")
            return self.taken_keys[sub.key]
        for problem in sub.problems:
            print(f"Lỗi: {problem}", file=sys.stderr, flush=True)
        self.refused += bool(sub.problems)
        if not sub.drafts and kind == DOCUMENT:
            return None  # the file stays where it is: nothing to keep
        return self._record(sub)

    def _submission(self, shown: str, kind: str, data: bytes) -> Submission:
        if kind == DOCUMENT:
            return from_docx_file(data, shown, self.site, self.taken_paths)
        return from_message(data, shown, self.site, self.taken_paths)

    def _record(self, sub: Submission) -> str:
        drafts = ", ".join(d.path for d in sub.drafts) or "không có bản nháp"
        if self.args.dry_run:
            self.say(f"{sub.source}: sẽ tạo {drafts}")
            return "dry-run"
        if self.args.here:
            written = chain.write_here(self.root, sub)
            self.say(f"{sub.source}: đã ghi {', '.join(written)}")
            return "here"
        branch = chain.commit_branch(self.root, sub, self.args.base)
        self.taken_keys[sub.key] = branch
        self.say(f"{sub.source}: nhánh {branch}: {drafts}")
        if not chain.signing_key(self.root):
            self.say(UNSIGNED)
        if self.args.push:
            chain.push(self.root, branch, self.args.push)
            self.say(f"  đã đẩy lên {self.args.push}: mở pull request cho nhánh {branch}")
        return branch


def run(args: argparse.Namespace) -> int:
    if not args.paths and not args.imap:
        raise PortalError("cần ít nhất một ĐƯỜNG_DẪN (tệp .docx, .eml, Maildir, mbox) hoặc --imap")
    state = _Run(args)
    for entry in inputs(args.paths):
        if isinstance(entry, IntakeError):
            state.refuse(entry)
        else:
            state.take(*entry)
    if args.imap:
        _from_imap(state)
    return 1 if state.refused else 0


def _from_imap(state: _Run) -> None:
    box = imap.Mailbox(imap.settings(state.root))
    try:
        uids = box.uids()
        state.say(f"Hộp thư {box.config.user}/{box.config.folder}: {len(uids)} thư")
        if self_taken := sum(chain.source_key(box.source(u)) in state.taken_keys for u in uids):
            state.say(f"  {self_taken} thư đã nhận trước đây: bỏ qua, không tải lại")
        for uid in uids:
            source = box.source(uid)
            if chain.source_key(source) in state.taken_keys:
                continue  # taken before: not even downloaded again
            data = box.fetch(uid)
            if data is None:
                state.refuse(IntakeError(source, "thư vượt giới hạn dung lượng: bỏ qua"))
                continue
            state.take(source, "message", data)
    finally:
        box.close()
