"""Decisions made in the forge's review screen (GitHub, Gitea/Forgejo pull-request reviews).

Two parts, kept apart: `parse_reviews` turns the reviews API's JSON into `ForgeReview`s
(pure, tested with both forges' documented payloads), and `fetch_reviews` is the thin
HTTP adapter that reads every page of `GET /repos/{owner}/{repo}/pulls/{n}/reviews` with
the CI job's token. The chain (`review/chain.py`) judges the reviews under the policy.

Trust: a forge review proves only what the forge's accounts prove (docs/review.md §9).
Everything the payload says is hostile input: fields are type-checked, URLs by scheme,
and the adapter never follows a page link to another host (the token would go with it).
"""

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import requests

from portal.errors import PortalError

FORGES = ("github", "gitea")

# The forge's review state → the chain's decision (None: not a decision, e.g. a comment).
STATES = {
    "github": {"APPROVED": "approve", "CHANGES_REQUESTED": "request-changes"},
    "gitea": {"APPROVED": "approve", "REQUEST_CHANGES": "request-changes"},
}
PAGE_SIZE = 50  # Gitea's default maximum; GitHub allows 100
MAX_PAGES = 200  # a pull request with more reviews than this is refused, not truncated
TIMEOUT = 20
# Both forges allow only these characters in a login; anything else is not a forge's answer.
LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class ForgeReview:
    forge: str  # github | gitea
    id: int
    login: str
    state: str  # as the forge says it
    decision: str | None  # approve | request-changes | None
    commit: str  # "" when the forge gives none (a garbage-collected commit)
    time: datetime | None  # None when the forge gives none
    url: str
    dismissed: bool = False

    @property
    def shown(self) -> str:
        return f"review #{self.id} của '{self.login}'"


def parse_reviews(payload, forge: str, source: str) -> list[ForgeReview]:
    """The reviews of one page; a malformed entry is an error naming it (fail closed)."""
    if forge not in FORGES:
        raise PortalError(f"{source}: forge: '{forge}' không hỗ trợ (chỉ: {', '.join(FORGES)})")
    if not isinstance(payload, list):
        raise PortalError(f"{source}: reviews: API không trả về một danh sách")
    return [_review(entry, forge, f"{source}: reviews[{i}]") for i, entry in enumerate(payload)]


def _review(entry, forge: str, where: str) -> ForgeReview:
    if not isinstance(entry, dict):
        raise PortalError(f"{where}: không phải một đối tượng JSON")
    user = entry.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    state = entry.get("state")
    review_id, commit = entry.get("id"), entry.get("commit_id")
    submitted = entry.get("submitted_at")
    time = parse_time(submitted)
    # A deleted account (user null), a commit the forge no longer has (commit_id null) and
    # a review not yet submitted are the forge's documented cases: the chain ignores or
    # anchors them. Anything else of the wrong shape breaks the contract: fail closed.
    checks = {
        "id": isinstance(review_id, int) and not isinstance(review_id, bool),
        "user.login": user is None or (isinstance(login, str) and LOGIN.fullmatch(login)),
        "state": isinstance(state, str),
        "commit_id": commit is None or is_sha(commit),
        "submitted_at": submitted is None or time is not None,
    }
    wrong = [name for name, ok in checks.items() if not ok]
    if wrong:
        raise PortalError(f"{where}: {', '.join(wrong)}: thiếu hoặc sai kiểu")
    # GitHub shows a dismissed review as state DISMISSED; Gitea keeps the state and says so.
    dismissed = state == "DISMISSED" or entry.get("dismissed") is True
    return ForgeReview(
        forge=forge,
        id=review_id,
        login=(login or "").strip(),
        state=state,
        decision=STATES[forge].get(state),
        commit=(commit or "").lower(),
        time=time,
        url=_web_url(entry.get("html_url")),
        dismissed=dismissed,
    )


def is_sha(value) -> bool:
    return (
        isinstance(value, str)
        and len(value) in (40, 64)
        and all(c in "0123456789abcdef" for c in value.lower())
    )


def parse_time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None  # a time without zone is no time


def _web_url(value) -> str:
    """The review's page, kept only when it is an http(s) URL (it is shown and recorded)."""
    if not isinstance(value, str):
        return ""
    parts = urlsplit(value)
    return value if parts.scheme in ("https", "http") and parts.netloc else ""


# --- the HTTP adapter --------------------------------------------------------------------


def repo_url(api: str, repo: str) -> str:
    """`{api}/repos/{owner}/{name}`, after checking both (https only, but for this machine)."""
    parts = urlsplit(api)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise PortalError(f"--forge-api: '{api}': chỉ nhận https (http chỉ cho máy này, 127.0.0.1)")
    owner, _, name = repo.partition("/")
    if not owner or not name or "/" in name or ".." in repo:
        raise PortalError(f"--forge-repo: '{repo}': cần dạng CHỦ/TÊN-KHO")
    return f"{api.rstrip('/')}/repos/{owner}/{name}"


def reviews_url(api: str, repo: str, number: int) -> str:
    url = repo_url(api, repo)
    if number < 1:
        raise PortalError(f"--forge-pr: '{number}': số pull request phải dương")
    return f"{url}/pulls/{number}/reviews"


def auth_headers(forge: str, token: str | None) -> dict:
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"{'Bearer' if forge == 'github' else 'token'} {token}"
    return headers


def fetch_reviews(
    forge: str, api: str, repo: str, number: int, token: str | None
) -> list[ForgeReview]:
    """Every review of the pull request, all pages; any failure is an error (fail closed)."""
    url = reviews_url(api, repo, number)
    origin = urlsplit(url)[:2]
    headers = auth_headers(forge, token)
    reviews = []
    params = {"per_page": PAGE_SIZE, "limit": PAGE_SIZE, "page": 1}
    for page in range(1, MAX_PAGES + 1):
        payload, next_url = get_page(url, params, headers)
        found = parse_reviews(payload, forge, f"{url} (trang {page})")
        reviews += found
        if next_url is None and len(found) < PAGE_SIZE:
            return reviews
        if next_url is not None and urlsplit(next_url)[:2] != origin:
            raise PortalError(f"{url}: trang sau ở một máy khác ({next_url}); không đi theo")
        url, params = (next_url, None) if next_url else (url, {**params, "page": page + 1})
    raise PortalError(f"{url}: quá {MAX_PAGES} trang review; cổng không đọc hết nên từ chối")


def get_page(url: str, params, headers: dict, what: str = "review") -> tuple:
    """One page: (JSON, the Link header's next URL or None). Never follows a redirect."""
    try:
        response = requests.get(
            url, params=params, headers=headers, timeout=TIMEOUT, allow_redirects=False
        )
    except requests.RequestException as error:
        raise PortalError(f"{url}: không đọc được {what} từ forge: {error}") from None
    if response.status_code != 200:
        raise PortalError(f"{url}: forge trả về mã {response.status_code}; không đọc được {what}")
    try:
        payload = response.json()
    except ValueError:
        raise PortalError(f"{url}: forge không trả về JSON") from None
    return payload, response.links.get("next", {}).get("url")
