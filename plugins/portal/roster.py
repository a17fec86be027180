"""The roster: people, their roles with terms of office, and their signing keys.

Kept by the secretary in `reviews/roster.yml` and validated by its JSON Schema.
The review chain reads it (from the base branch) to know who may approve what;
royalties read it to resolve authors and the board's allowances.
"""

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from portal import schema, yamlfile
from portal.dates import VIETNAM, parse_date
from portal.errors import PortalError, Problem

ROSTER_PATH = Path("reviews/roster.yml")
ROLES = (
    "contributor",
    "unit_head",
    "member",
    "deputy",
    "head",
    "secretary",
    "administrator",
    "accountant",
)
ROLE_NAMES = {
    "contributor": "Cộng tác viên",
    "unit_head": "Trưởng đơn vị",
    "member": "Ủy viên Ban Biên tập",
    "deputy": "Phó Trưởng Ban Biên tập",
    "head": "Trưởng Ban Biên tập",
    "secretary": "Thư ký Ban Biên tập",
    "administrator": "Quản trị Cổng",
    "accountant": "Kế toán",
}


@dataclass(frozen=True)
class Term:
    """A role held from `start` to `end` inclusive (open-ended when `end` is None)."""

    role: str
    start: date
    end: date | None = None
    sections: tuple[str, ...] = ()
    unit: str | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Key:
    key: str  # "ssh-ed25519 AAAA..."
    start: date
    end: date | None = None


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str | None = None
    login: str | None = None
    unit: str | None = None
    pen_name: str | None = None
    external: bool = False
    terms: tuple[Term, ...] = ()
    keys: tuple[Key, ...] = ()

    def terms_on(self, day: date, role: str | None = None) -> list[Term]:
        return [t for t in self.terms if t.covers(day) and (role is None or t.role == role)]

    def holds(
        self, role: str, day: date, section: str | None = None, unit: str | None = None
    ) -> bool:
        """Does this person hold `role` on `day` (for that section or unit, if it matters)?"""
        for term in self.terms_on(day, role):
            if role == "member" and section is not None and section not in term.sections:
                continue
            if role == "unit_head" and unit is not None and term.unit != unit:
                continue
            return True
        return False


@dataclass
class Roster:
    people: dict[str, Person]

    def by_email(self, email: str) -> Person | None:
        email = (email or "").lower()
        return next((p for p in self.people.values() if (p.email or "").lower() == email), None)

    def holders(
        self, role: str, day: date, section: str | None = None, unit: str | None = None
    ) -> list[Person]:
        return [p for p in self.people.values() if p.holds(role, day, section, unit)]

    def resolve_author(self, author: dict) -> Person | None:
        """An item's author record → the person: by `id`, else by exact name."""
        if author.get("id"):
            return self.people.get(author["id"])
        matches = [p for p in self.people.values() if p.name == author.get("name")]
        return matches[0] if len(matches) == 1 else None


def parse_roster(
    text: str, shown: str, units: dict | None = None, sections: dict | None = None
) -> tuple[Roster | None, list[Problem]]:
    """Validate the roster's text; the roster is None when anything is wrong."""
    parsed = yamlfile.parse_yaml(text, 1, shown)
    problems = parsed.problems or schema.validate("data-roster", parsed.data, shown, parsed.line_of)
    if problems:
        return None, problems
    people, seen = {}, {}
    for index, entry in enumerate(parsed.data["people"]):
        problems.extend(_duplicates(entry, index, seen, parsed, shown))
        problems.extend(_references(entry, index, parsed, shown, units, sections))
        try:
            people[entry["id"]] = _person(entry)
        except ValueError as error:
            problems.append(Problem(shown, parsed.line_of(("people", index)), "people", str(error)))
    return (None if problems else Roster(people)), problems


def load_roster(root: Path, units: dict | None = None, sections: dict | None = None) -> Roster:
    """The roster of the repository at `root`; PortalError lists every problem."""
    path = Path(root) / ROSTER_PATH
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PortalError(f"không đọc được {ROSTER_PATH}: {error}") from None
    roster, problems = parse_roster(text, str(ROSTER_PATH), units, sections)
    if roster is None:
        raise PortalError(f"{ROSTER_PATH} không hợp lệ:", problems)
    return roster


def _person(entry: dict) -> Person:
    terms = tuple(
        Term(
            role=r["role"],
            start=parse_date(r["from"]),
            end=parse_date(r["until"]) if "until" in r else None,
            sections=tuple(r.get("sections", ())),
            unit=r.get("unit"),
        )
        for r in entry["roles"]
    )
    keys = tuple(
        Key(
            key=k["key"],
            start=parse_date(k["from"]),
            end=parse_date(k["until"]) if "until" in k else None,
        )
        for k in entry.get("keys", [])
    )
    return Person(
        id=entry["id"],
        name=entry["name"],
        email=entry.get("email"),
        login=entry.get("login"),
        unit=entry.get("unit"),
        pen_name=entry.get("pen_name"),
        external=entry.get("external", False),
        terms=terms,
        keys=keys,
    )


def _duplicates(entry, index, seen, parsed, shown) -> list[Problem]:
    problems = []
    for field in ("id", "email", "login"):
        value = entry.get(field)
        if value is None:
            continue
        key = (field, str(value).lower())
        line = parsed.line_of(("people", index, field))
        if key in seen:
            problems.append(
                Problem(
                    shown,
                    line,
                    f"people[{index}].{field}",
                    f"'{value}' trùng với người ở dòng {seen[key]}",
                )
            )
        seen.setdefault(key, line)
    return problems


def _references(entry, index, parsed, shown, units, sections) -> list[Problem]:
    problems = []
    refs = [(("unit",), entry.get("unit"), units, "units.yml")]
    for r_index, role in enumerate(entry["roles"]):
        refs.append((("roles", r_index, "unit"), role.get("unit"), units, "units.yml"))
        for s_index, code in enumerate(role.get("sections", [])):
            refs.append((("roles", r_index, "sections", s_index), code, sections, "sections.yml"))
    for sub_path, value, known, file_name in refs:
        if value is not None and known is not None and value not in known:
            path = ("people", index, *sub_path)
            problems.append(
                Problem(
                    shown,
                    parsed.line_of(path),
                    yamlfile.dotted(path),
                    f"'{value}' không có trong content/data/{file_name}",
                )
            )
    for r_index, role in enumerate(entry["roles"]):
        if "until" in role and role["until"] < role["from"]:
            path = ("people", index, "roles", r_index, "until")
            problems.append(
                Problem(
                    shown,
                    parsed.line_of(path),
                    yamlfile.dotted(path),
                    "ngày kết thúc nhiệm kỳ trước ngày bắt đầu",
                )
            )
    return problems


# --- added for the review chain: the roster's keys as git's allowed signers ----------


def key_fingerprint(key: str) -> str:
    """`ssh-ed25519 AAAA...` → `SHA256:...`, as git prints it with `%GK`."""
    blob = base64.b64decode(key.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def allowed_signers(roster: Roster) -> str:
    """The roster's keys as an SSH allowed-signers file (`gpg.ssh.allowedSignersFile`).

    One line per key of every person with an e-mail: valid from the start of its
    `from` day to the end of its `until` day, Vietnam time. git checks these dates
    against the commit's time, so a key used outside them does not verify.
    """
    lines = []
    for person in sorted(roster.people.values(), key=lambda p: p.id):
        if not person.email:
            continue
        for key in person.keys:
            options = f'namespaces="git",valid-after="{_utc_stamp(key.start)}"'
            if key.end is not None:
                options += f',valid-before="{_utc_stamp(key.end + timedelta(days=1))}"'
            lines.append(f"{person.email.lower()} {options} {key.key}")
    return "".join(line + "\n" for line in lines)


def key_owners(roster: Roster) -> dict[str, list[Person]]:
    """Key fingerprint → the people whose roster lists that key (more than one is an error)."""
    owners: dict[str, list[Person]] = {}
    for person in roster.people.values():
        for key in person.keys:
            owners.setdefault(key_fingerprint(key.key), []).append(person)
    return owners


def _utc_stamp(day: date) -> str:
    """Midnight of `day` in Vietnam as OpenSSH's UTC time `YYYYMMDDHHMMSSZ`."""
    midnight = datetime.combine(day, time(), tzinfo=VIETNAM).astimezone(UTC)
    return midnight.strftime("%Y%m%d%H%M%SZ")
