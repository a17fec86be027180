"""The portal's mailbox over IMAP: fetch the messages not yet taken in, never one twice.

Settings come from `reviews/intake.yml` (host, port, user, folder, tls; validated by
`schemas/data-intake.json`, a password there is refused) and the environment (PORTAL_IMAP_HOST,
PORTAL_IMAP_PORT, PORTAL_IMAP_USER, PORTAL_IMAP_FOLDER, PORTAL_IMAP_TLS), the
environment winning. The password only ever comes from PORTAL_IMAP_PASSWORD.

Messages are read with BODY.PEEK[] (they stay unread and are never deleted). A message
is taken once its branch is committed; the commit's `Intake-Sha256` trailer is the
memory, so a crash between fetching and committing loses nothing (it is fetched again)
and one after committing takes nothing twice (its hash is on a branch already).
"""

import base64
import contextlib
import imaplib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from portal import schema, yamlfile
from portal.errors import PortalError
from portal.intake.limits import MAX_MESSAGE
from portal.project import REPO_INTAKE_SETTINGS

SETTINGS_PATH = REPO_INTAKE_SETTINGS
LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}
TIMEOUT = 60


@dataclass
class Settings:
    host: str
    user: str
    password: str
    port: int = 993
    folder: str = "INBOX"
    tls: bool = True


def _file_settings(root: Path) -> dict:
    """The `imap` block of reviews/intake.yml, validated (`schemas/data-intake.json`)."""
    path = root / SETTINGS_PATH
    if not path.is_file() or path.is_symlink():
        return {}
    parsed = yamlfile.read_file(path, SETTINGS_PATH)
    problems = parsed.problems or schema.validate(
        "data-intake", parsed.data, SETTINGS_PATH, parsed.line_of
    )
    if problems:
        hint = "mật khẩu chỉ đặt trong biến môi trường PORTAL_IMAP_PASSWORD, không ghi vào kho"
        raise PortalError(f"{SETTINGS_PATH} không hợp lệ ({hint}):", problems)
    return dict(parsed.data.get("imap", {}))


def settings(root: Path, environ=os.environ) -> Settings:
    values = _file_settings(root)
    for key in ("host", "port", "user", "folder", "tls"):
        if environ.get(f"PORTAL_IMAP_{key.upper()}"):
            values[key] = environ[f"PORTAL_IMAP_{key.upper()}"]
    missing = [k for k in ("host", "user") if not values.get(k)]
    if missing:
        raise PortalError(
            "thiếu cấu hình IMAP: " + ", ".join(missing) + f" (đặt trong {SETTINGS_PATH} mục "
            "imap, hoặc biến môi trường PORTAL_IMAP_HOST, PORTAL_IMAP_USER)"
        )
    password = environ.get("PORTAL_IMAP_PASSWORD")
    if not password:
        raise PortalError("thiếu mật khẩu: đặt biến môi trường PORTAL_IMAP_PASSWORD")
    tls = str(values.get("tls", True)).lower() not in ("false", "0", "no", "khong")
    if not tls and values["host"] not in LOCAL_HOSTS:
        raise PortalError("chỉ được bỏ TLS (tls: false) khi máy chủ thư là 127.0.0.1")
    try:
        port = int(values.get("port") or (993 if tls else 143))
    except ValueError:
        raise PortalError(f"PORTAL_IMAP_PORT: '{values.get('port')}' không phải số cổng") from None
    folder = str(values.get("folder") or "INBOX")
    return Settings(str(values["host"]), str(values["user"]), password, port, folder, tls)


class Mailbox:
    """An open IMAP session on the folder, read-only."""

    def __init__(self, config: Settings):
        self.config = config
        try:
            cls = imaplib.IMAP4_SSL if config.tls else imaplib.IMAP4
            self.imap = cls(config.host, config.port, timeout=TIMEOUT)
            self.imap.login(config.user, config.password)
            status, data = self.imap.select(_quoted(config.folder), readonly=True)
        except (TimeoutError, OSError, imaplib.IMAP4.error) as error:
            raise PortalError(
                f"không kết nối được hộp thư {config.user}@{config.host}:{config.port}: {error}"
            ) from None
        if status != "OK":
            raise PortalError(f"không mở được thư mục '{config.folder}' trong hộp thư")
        self.validity = self._validity()

    def _validity(self) -> str:
        _, data = self.imap.response("UIDVALIDITY")
        return (data[0] or b"").decode() if data and data[0] else ""

    def uids(self) -> list[int]:
        status, data = self.imap.uid("SEARCH", None, "ALL")
        if status != "OK":
            raise PortalError("máy chủ thư không trả danh sách thư")
        return sorted(int(u) for u in (data[0] or b"").split())

    def fetch(self, uid: int) -> bytes | None:
        """The whole message (left unread); None when it is larger than the limit."""
        status, data = self.imap.uid("FETCH", str(uid), "(RFC822.SIZE)")
        if status == "OK" and data and data[0]:
            text = data[0].decode() if isinstance(data[0], bytes) else str(data[0])
            if "RFC822.SIZE" in text:
                length = int(text.split("RFC822.SIZE", 1)[1].strip(" )").split()[0])
                if length > MAX_MESSAGE:
                    return None
        status, data = self.imap.uid("FETCH", str(uid), "(BODY.PEEK[])")
        if status != "OK":
            raise PortalError(f"không tải được thư UID {uid}")
        for entry in data:
            if isinstance(entry, tuple):
                return entry[1]
        raise PortalError(f"máy chủ thư không trả nội dung thư UID {uid}")

    def source(self, uid: int) -> str:
        c = self.config
        return f"imap://{c.user}@{c.host}/{c.folder};UIDVALIDITY={self.validity};UID={uid}"

    def close(self) -> None:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            self.imap.logout()


def modified_utf7(name: str) -> str:
    """A folder name as IMAP writes it (RFC 3501 §5.1.3): `Tin bài` → `Tin b&AOA-i`."""
    out, pending = [], []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append(
                "&" + base64.b64encode(data).decode("ascii").rstrip("=").replace("/", ",") + "-"
            )
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def _quoted(folder: str) -> str:
    name = modified_utf7(unicodedata.normalize("NFC", folder))
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
