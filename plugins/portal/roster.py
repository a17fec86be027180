"""The roster: people, their roles with terms of office, and their signing keys.

Kept by the secretary in `reviews/roster.yml` and validated by its JSON Schema.
Two ways in: `parse_roster` for its text from git (the review chain reads the base
branch's, to know who may approve what) and `load` for the working tree (the site's
data, from which royalties resolve authors and the board's allowances).
"""

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from portal import schema, yamlfile
from portal.dates import VIETNAM, parse_date
from portal.errors import Problem
from portal.project import REPO_ROSTER, Project

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
    ci_keys: tuple["CiKey", ...] = ()  # keys of CI jobs, not of people (`purpose` says which)

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
    """Validate the roster's text (from git); the roster is None when anything is wrong."""
    return _validated(yamlfile.parse_yaml(text, 1, shown), units, sections)


def load(
    project: Project | Path, units: dict | None = None, sections: dict | None = None
) -> tuple[Roster | None, list[Problem]]:
    """The roster of the working tree of `project` (a Project or its top folder)."""
    path = project.roster if isinstance(project, Project) else Path(project) / REPO_ROSTER
    return _validated(yamlfile.read_file(path), units, sections)


def _validated(parsed: yamlfile.YamlDocument, units, sections) -> tuple[Roster | None, list]:
    problems = parsed.problems or schema.validate(
        "data-roster", parsed.data, parsed.shown, parsed.line_of
    )
    if problems:
        return None, problems
    people, seen = {}, {}
    for index, entry in enumerate(parsed.data["people"]):
        problems.extend(_duplicates(entry, index, seen, parsed))
        problems.extend(_references(entry, index, parsed, units, sections))
        try:
            people[entry["id"]] = _person(entry)
        except ValueError as error:
            problems.append(parsed.problem(("people", index), str(error), field="people"))
    if problems:
        return None, problems
    ci_keys = tuple(_ci_key(entry) for entry in parsed.data.get("ci_keys") or [])
    return Roster(people, ci_keys), problems


@dataclass(frozen=True)
class CiKey:
    """A CI job's signing key (e.g. purpose `forge-ledger`: the forge decisions' record)."""

    key: str  # "ssh-ed25519 AAAA..." (a trailing comment dropped)
    email: str
    purpose: str
    start: date
    end: date | None


def _ci_key(entry: dict) -> CiKey:
    return CiKey(
        key=" ".join(entry["key"].split()[:2]),
        email=entry["email"].lower(),
        purpose=entry["purpose"],
        start=parse_date(entry["from"]),
        end=parse_date(entry["until"]) if entry.get("until") else None,
    )


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


def _duplicates(entry, index, seen, parsed) -> list[Problem]:
    problems = []
    for field in ("id", "email", "login"):
        value = entry.get(field)
        if value is None:
            continue
        key = (field, str(value).lower())
        path = ("people", index, field)
        if key in seen:
            problems.append(parsed.problem(path, f"'{value}' trùng với người ở dòng {seen[key]}"))
        seen.setdefault(key, parsed.line_of(path))
    return problems


def _references(entry, index, parsed, units, sections) -> list[Problem]:
    problems = []
    refs = [(("unit",), entry.get("unit"), units, "units.yml")]
    for r_index, role in enumerate(entry["roles"]):
        refs.append((("roles", r_index, "unit"), role.get("unit"), units, "units.yml"))
        for s_index, code in enumerate(role.get("sections", [])):
            refs.append((("roles", r_index, "sections", s_index), code, sections, "sections.yml"))
    for sub_path, value, known, file_name in refs:
        if value is not None and known is not None and value not in known:
            problems.append(
                parsed.problem(
                    ("people", index, *sub_path),
                    f"'{value}' không có trong content/data/{file_name}",
                )
            )
    for r_index, role in enumerate(entry["roles"]):
        if "until" in role and role["until"] < role["from"]:
            problems.append(
                parsed.problem(
                    ("people", index, "roles", r_index, "until"),
                    "ngày kết thúc nhiệm kỳ trước ngày bắt đầu",
                )
            )
    return problems


# --- the roster's keys as git's allowed signers ------------------------------------


def key_fingerprint(key: str) -> str:
    """`ssh-ed25519 AAAA...` → `SHA256:...`, as git prints it with `%GK`."""
    blob = base64.b64decode(key.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def allowed_signers(roster: Roster) -> str:
    """The roster's keys as an SSH allowed-signers file (`gpg.ssh.allowedSignersFile`):
    one line per key of every person with an e-mail."""
    return "".join(
        allowed_signer(person.email.lower(), key.key, key.start, key.end)
        for person in sorted(roster.people.values(), key=lambda p: p.id)
        if person.email
        for key in person.keys
    )


def allowed_signer(email: str, key: str, start: date, end: date | None) -> str:
    """One line of an allowed-signers file: `key` signs for `email` from the start of its
    `start` day to the end of its `end` day, Vietnam time. git checks these dates against
    the commit's time, so a key used outside them does not verify."""
    options = f'namespaces="git",valid-after="{_utc_stamp(start)}"'
    if end is not None:
        options += f',valid-before="{_utc_stamp(end + timedelta(days=1))}"'
    return f"{email} {options} {key}\n"


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
