"""`portal review …`: the editorial review chain, carried by branches and signed commits.

status, approve, request-changes, verify (the merge gate CI runs), queue, codeowners,
audit. Works with any forge or none: everything is read from git.
"""

import argparse
import difflib
import os
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

from portal.dates import VIETNAM, parse_date
from portal.errors import PortalError
from portal.files import write_atomically
from portal.git import Git
from portal.project import REPO_CODEOWNERS, REPO_FORGE_LEDGER, REPO_POLICY, REPO_ROSTER
from portal.review import codeowners
from portal.review.chain import Verdict, evaluate, load_rules, now
from portal.review.decide import decide
from portal.review.forge import FORGES, fetch_reviews
from portal.review.forge_ledger import (
    MERGE_TRAILER,
    ForgeLedger,
    ci_keys,
    entries_disagree,
    forge_entries,
    forge_ledger_path,
    read_forge_ledger,
    render_forge_ledger,
)
from portal.review.forge_pushes import (
    PushLog,
    authorship_entries,
    fetch_pull_request_pushes,
    forge_authorship_on,
    log_since,
)
from portal.review.report import render_markdown, render_text, summary
from portal.review.selfcheck import running_code_problem

BASE_HELP = (
    "nhánh gốc: tên đầy đủ hay mã commit (mặc định refs/remotes/origin/main, "
    "không có thì refs/heads/main)"
)


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "review",
        help="chuỗi duyệt tin bài: trạng thái, duyệt, yêu cầu sửa, cổng kiểm tra trước khi merge",
        description=(
            "Chuỗi duyệt theo Quy chế 27/QĐ-SNV: trưởng đơn vị → ủy viên → Phó Trưởng Ban → "
            "Trưởng Ban; Quản trị Cổng merge khi đủ. Xem docs/review.md."
        ),
    )
    commands = parser.add_subparsers(dest="review_command", metavar="LỆNH")
    commands.required = True

    status = commands.add_parser("status", help="lần gửi thay đổi gì, bước nào xong, đang chờ ai")
    _base_head(status)
    _forge_options(status)
    status.set_defaults(func=run_status)

    approve = commands.add_parser("approve", help="duyệt lần gửi ở bước hiện tại (commit có ký)")
    _decision_options(approve, message_required=False)
    _forge_options(approve)
    approve.set_defaults(func=run_decide, kind="approve")

    request = commands.add_parser("request-changes", help="yêu cầu sửa: chuỗi dừng ở bước này")
    _decision_options(request, message_required=True)
    _forge_options(request)
    request.set_defaults(func=run_decide, kind="request-changes")

    verify = commands.add_parser(
        "verify", help="cổng kiểm tra trước khi merge: mã thoát 0 chỉ khi đủ mọi bước"
    )
    _base_head(verify)
    _forge_options(verify)
    verify.add_argument(
        "--markdown", type=Path, metavar="TỆP", help="ghi thêm bảng các bước (Markdown) vào TỆP"
    )
    verify.set_defaults(func=run_verify)

    record = commands.add_parser(
        "record-forge",
        help="khi merge: ghi các quyết định trên forge vào reviews/ledger/forge/ (CI ký commit)",
    )
    record.add_argument("--merge", default="HEAD", metavar="COMMIT", help="merge commit (HEAD)")
    _forge_options(record)
    record.add_argument("--dry-run", action="store_true", help="chỉ cho xem, không ghi")
    record.set_defaults(func=run_record_forge)

    queue = commands.add_parser("queue", help="các lần gửi (nhánh) đang chờ tôi duyệt")
    queue.add_argument("--me", required=True, metavar="EMAIL", help="email của tôi trong roster")
    queue.add_argument("--base", default=None, metavar="NHÁNH", help="nhánh gốc (như verify)")
    queue.set_defaults(func=run_queue)

    owners = commands.add_parser("codeowners", help="tạo .github/CODEOWNERS từ roster và policy")
    owners.add_argument("--check", action="store_true", help="chỉ kiểm tra, không ghi")
    owners.set_defaults(func=run_codeowners)

    audit = commands.add_parser(
        "audit", help="các thay đổi trên main không đi đủ chuỗi duyệt (merge vòng qua cổng)"
    )
    audit.add_argument("--since", required=True, metavar="YYYY-MM-DD", help="từ ngày")
    audit.add_argument("--branch", default="main", metavar="NHÁNH", help="mặc định main")
    audit.set_defaults(func=run_audit)


def _base_head(parser) -> None:
    parser.add_argument(
        "--base",
        default=None,
        metavar="NHÁNH",
        help=BASE_HELP,
    )
    parser.add_argument("--head", default="HEAD", metavar="NHÁNH", help="nhánh gửi (mặc định HEAD)")


def _forge_options(parser) -> None:
    group = parser.add_argument_group(
        "quyết định trên forge",
        "đọc các review của pull request qua API của forge (token ở biến môi trường "
        "FORGE_TOKEN); chỉ tính ở các bước có forge: true trong reviews/policy.yml",
    )
    group.add_argument("--forge", choices=FORGES, default=None, help="loại forge")
    group.add_argument("--forge-api", metavar="URL", help="ví dụ https://api.github.com")
    group.add_argument("--forge-repo", metavar="CHỦ/KHO", help="kho trên forge")
    group.add_argument("--forge-pr", type=int, metavar="SỐ", help="số pull request")


def forge_reviews(args: argparse.Namespace) -> list | None:
    """The pull request's reviews when --forge is given (all four options then needed)."""
    given = {
        "--forge": args.forge,
        "--forge-api": args.forge_api,
        "--forge-repo": args.forge_repo,
        "--forge-pr": args.forge_pr,
    }
    if not any(v is not None for v in given.values()):
        return None
    missing = [name for name, value in given.items() if value is None]
    if missing:
        raise PortalError(f"{', '.join(missing)}: cần cả bốn tùy chọn --forge…")
    token = os.environ.get("FORGE_TOKEN") or None
    return fetch_reviews(args.forge, args.forge_api, args.forge_repo, args.forge_pr, token)


def forge_pushes(args: argparse.Namespace, git: Git, base: str, head: str) -> PushLog | None:
    """The push log of the pull request's branch, read only when --forge is given and the
    base branch's policy lets it prove authorship (forge_authorship: true)."""
    if args.forge is None or not forge_authorship_on(git, base):
        return None
    token, since = os.environ.get("FORGE_TOKEN") or None, log_since(git, base, head)
    return fetch_pull_request_pushes(
        args.forge, args.forge_api, args.forge_repo, args.forge_pr, token, since
    )


def _decision_options(parser, message_required: bool) -> None:
    parser.add_argument(
        "--base",
        default=None,
        metavar="NHÁNH",
        help=BASE_HELP,
    )
    parser.add_argument("--stage", default=None, metavar="BƯỚC", help="mã bước (mặc định tự chọn)")
    parser.add_argument(
        "--message",
        "-m",
        required=message_required,
        default="",
        metavar="NỘI_DUNG",
        help="ý kiến ghi vào sổ duyệt" + (" (bắt buộc)" if message_required else ""),
    )
    parser.add_argument("--dry-run", action="store_true", help="chỉ cho xem, không ghi")


REMOTE_MAIN, LOCAL_MAIN = "refs/remotes/origin/main", "refs/heads/main"
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def default_base(git: Git, given: str | None) -> str:
    """The base as given, else the remote main (full ref names: a tag cannot shadow them)."""
    if given:
        return given
    return REMOTE_MAIN if git.ok("show-ref", "--verify", "--quiet", REMOTE_MAIN) else LOCAL_MAIN


def run_status(args: argparse.Namespace) -> int:
    git = Git.here()
    base, reviews = default_base(git, args.base), forge_reviews(args)
    pushes = forge_pushes(args, git, base, args.head)
    print(render_text(evaluate(git, base, args.head, reviews=reviews, pushes=pushes)))
    return 0


def run_decide(args: argparse.Namespace) -> int:
    if args.kind == "request-changes" and not args.message.strip():
        raise PortalError("--message: cần ghi rõ phải sửa gì (không được để trống)")
    git = Git.here()
    base, message = default_base(git, args.base), args.message.strip()
    reviews, pushes = forge_reviews(args), forge_pushes(args, git, base, "HEAD")
    verdict = decide(
        git, args.kind, base, args.stage, message, args.dry_run, reviews=reviews, pushes=pushes
    )
    print(summary(verdict))
    return 0


def run_verify(args: argparse.Namespace) -> int:
    git = Git.here()
    base = default_base(git, args.base)
    reviews, pushes = forge_reviews(args), forge_pushes(args, git, base, args.head)
    verdict = evaluate(git, base, args.head, reviews=reviews, pushes=pushes)
    code_problem = running_code_problem(git, git.resolve_base(base))
    if code_problem:
        verdict.problems.insert(0, code_problem)
    verdict.warnings += codeowners_at(git, args.head)
    print(render_text(verdict))
    if args.markdown:
        try:
            with open(args.markdown, "a", encoding="utf-8") as out:
                out.write(render_markdown(verdict) + "\n")
        except OSError as error:
            message = f"--markdown: không ghi được {args.markdown}: {error.strerror}"
            raise PortalError(message) from None
    return 0 if verdict.ok else 1


def run_record_forge(args: argparse.Namespace) -> int:
    """Write the forge decisions counted at this merge to main, in a commit signed by the
    CI key (git's configured signing key; the roster must list it under ci_keys)."""
    git = Git.here()
    merge = git.commit_of(args.merge)
    parents = git.run("log", "-1", "--format=%P", merge).split()
    if len(parents) != 2:
        raise PortalError(f"--merge: {merge[:8]} không phải merge commit của một lần gửi")
    reviews = forge_reviews(args)
    if reviews is None:
        raise PortalError("--forge: cần các tùy chọn --forge… để đọc review của pull request")
    merged_at = datetime.fromtimestamp(int(git.run("log", "-1", "--format=%ct", merge)), VIETNAM)
    pushes = forge_pushes(args, git, parents[0], parents[1])
    verdict = evaluate(git, parents[0], parents[1], reviews=reviews, at=merged_at, pushes=pushes)
    keys = ci_keys(git.show("HEAD", REPO_ROSTER) or "")
    if not keys:
        raise PortalError(
            f"{REPO_ROSTER}: ci_keys: roster không có khóa CI với purpose: forge-ledger; "
            "audit sẽ không nhận sổ duyệt forge nên không ghi"
        )
    entries, authorship = forge_entries(verdict), authorship_entries(verdict)
    if not entries and not authorship:
        print("Lần gửi này không có quyết định hay tác giả do forge chứng minh: không ghi gì.")
        return 0
    path = forge_ledger_path(merge, merged_at, args.forge_pr)
    text = render_forge_ledger(merge, parents[1], args.forge_pr, entries, authorship)
    print(f"Sẽ ghi {path} rồi tạo một commit ký bằng khóa CI:\n{text}")
    if args.dry_run:
        return 0
    target = Path(git.run("rev-parse", "--show-toplevel").strip()) / path
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, text.encode("utf-8"))
    git.run("add", "--", path)
    message = f"Sổ duyệt forge: quyết định trên forge của merge {merge[:12]}"
    identity = {"user.email": keys[0].email, "user.name": "Cổng TTĐT (CI)"}
    trailer = f"{MERGE_TRAILER}: {merge}"
    git.run("commit", "-q", "-S", "-m", message, "--trailer", trailer, "--", path, config=identity)
    print(f"Đã ghi {path}.")
    return 0


def codeowners_at(git: Git, rev: str) -> list:
    """Is the submission's CODEOWNERS what its own roster and policy give today?"""
    roster_text = git.show(rev, REPO_ROSTER)
    policy_text = git.show(rev, REPO_POLICY)
    if roster_text is None or policy_text is None:
        return []
    wanted, _ = codeowners.expected(
        roster_text, policy_text, codeowners.commit_folders(git, rev), now().date()
    )
    if wanted is None:
        return []
    current = git.show(rev, REPO_CODEOWNERS)
    return codeowners.freshness(current, wanted, severity="warning")


def run_queue(args: argparse.Namespace) -> int:
    if not EMAIL.fullmatch(args.me.strip()):
        raise PortalError(
            f"--me: '{args.me}' không phải một địa chỉ email (ví dụ: lanpt.snv@hatinh.gov.vn)"
        )
    git = Git.here()
    base = default_base(git, args.base)
    roster = base_roster(git, base)
    me = roster.by_email(args.me.strip())
    if me is None:
        raise PortalError(f"--me: email '{args.me}' không có trong reviews/roster.yml")
    waiting = []
    for branch in submission_branches(git, base):
        verdict = evaluate(git, base, branch)
        current = verdict.current
        if current is not None and not verdict.problems and me in current.candidates:
            titles = ", ".join(i.title for i in verdict.submission.items if i.title)
            waiting.append(
                f"{branch}: bước «{current.stage.name}» — {titles or 'không có tin bài'}"
            )
    for line in waiting:
        print(line)
    print(f"Có {len(waiting)} lần gửi đang chờ {args.me} duyệt.")
    return 0


def base_roster(git: Git, base: str):
    problems: list = []
    roster, _ = load_rules(git, git.resolve_base(base), base, problems)
    if roster is None:
        raise PortalError("không đọc được roster/policy của nhánh gốc:", problems)
    return roster


def submission_branches(git: Git, base: str) -> list[str]:
    """Local and remote branches with commits the base does not have."""
    base_commit = git.resolve_base(base)
    names = git.run(
        "for-each-ref", "--format=%(refname:short)%09%(objectname)", "refs/heads", "refs/remotes"
    )
    branches, seen = [], {base_commit}
    for line in names.splitlines():
        name, _, sha = line.partition("\t")
        if (
            sha in seen
            or name.endswith("/HEAD")
            or git.ok("merge-base", "--is-ancestor", sha, base)
        ):
            continue
        seen.add(sha)
        branches.append(name)
    return branches


def run_codeowners(args: argparse.Namespace) -> int:
    git = Git.here()
    root = git.root
    wanted, problems = codeowners.worktree_expected(root, now().date())
    if wanted is None:
        raise PortalError("roster hoặc policy không hợp lệ:", problems)
    target = root / REPO_CODEOWNERS
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if current == wanted:
        print(f"{REPO_CODEOWNERS} đã đúng với roster và policy.")
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(
            current.splitlines(keepends=True),
            wanted.splitlines(keepends=True),
            fromfile=f"a/{REPO_CODEOWNERS}",
            tofile=f"b/{REPO_CODEOWNERS}",
        )
    )
    if args.check:
        print(f"{REPO_CODEOWNERS} đã cũ: chạy `portal review codeowners` để ghi lại.")
        return 1
    write_atomically(target, wanted.encode("utf-8"))
    print(f"Đã ghi {REPO_CODEOWNERS}; hãy commit tệp này cùng thay đổi roster.")
    return 0


def run_audit(args: argparse.Namespace) -> int:
    try:
        since = parse_date(args.since)
    except ValueError as error:
        raise PortalError(f"--since: {error}") from None
    git = Git.here()
    branch = git.resolve_base(args.branch)  # a tag named `main` must not stand in for it
    after = (since - timedelta(days=1)).isoformat()
    log = git.run("log", "--first-parent", "--format=%H %P", f"--since={after} 17:00 +0000", branch)
    findings, commits = [], [line.split() for line in log.splitlines()]
    ledgers = forge_ledgers(git, commits, findings)
    for sha, *parents in commits:
        if sha not in ledgers["commits"]:
            findings += audit_commit(git, sha, parents, ledgers["merges"].get(sha))
    for finding in findings:
        print(finding)
    print(
        f"Có {len(findings)} thay đổi trên {args.branch} từ {since:%d/%m/%Y} không đủ chuỗi duyệt."
        if findings
        else f"Mọi thay đổi trên {args.branch} từ {since:%d/%m/%Y} đều đủ chuỗi duyệt."
    )
    return 1 if findings else 0


def forge_ledgers(git: Git, commits: list, findings: list) -> dict:
    """The forge ledgers CI committed on the branch: merge → ledger, and which commits
    they are. A commit touching reviews/ledger/forge/ that is not a valid one is a finding."""
    found = {"merges": {}, "commits": set()}
    for sha, *parents in commits:
        files = git.files_of(sha)
        if not any(p.startswith(REPO_FORGE_LEDGER + "/") for p in files) or len(parents) != 1:
            continue
        commit = git.log(["-1", sha])[0]
        ledger = read_forge_ledger(git, commit, files)
        if isinstance(ledger, str):
            findings.append(ledger)
        elif ledger.merge in found["merges"] or not git.ok(
            "merge-base", "--is-ancestor", ledger.merge, sha
        ):
            findings.append(
                f"{ledger.path}: merge {ledger.merge[:8]} không có trước nó hay đã có sổ"
            )
        else:
            found["merges"][ledger.merge] = ledger
        found["commits"].add(sha)
    return found


def audit_commit(
    git: Git, sha: str, parents: list[str], ledger: ForgeLedger | None = None
) -> list[str]:
    if not parents:
        return []  # the repository's first commit: there was no roster or policy before it
    when, _, subject = git.run("log", "-1", "--format=%ct %s (%an, %ci)", sha).partition(" ")
    subject = subject.strip()
    if len(parents) != 2:
        return [f"{sha[:8]} {subject}: commit thẳng lên nhánh, không qua lần gửi nào (merge)"]
    # The merge commit's date anchors the audit: validity is judged as of the merge.
    merged_at = datetime.fromtimestamp(int(when), VIETNAM)
    reviews, pushes = (ledger.reviews, ledger.pushes) if ledger else (None, None)
    verdict: Verdict = evaluate(
        git, parents[0], parents[1], at=merged_at, reviews=reviews, pushes=pushes
    )
    disagree = entries_disagree(ledger, verdict) if ledger else None
    if disagree:
        verdict.problems.append(disagree)
    if verdict.ok:
        return []
    undone = [r.stage.name for r in verdict.stages if not r.done]
    reasons = undone and [f"chưa xong: {', '.join(undone)}"]
    problems = [str(p) for p in verdict.problems]
    return [f"{sha[:8]} {subject}: " + "; ".join([*(reasons or []), *problems])]
