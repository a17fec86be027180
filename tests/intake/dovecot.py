"""A real Dovecot IMAP server on 127.0.0.1, started by the test with its own config in tmp.

Debian's `dovecot-imapd` (installed by .ci/run). Passwords and users come from a
passwd-file; mail is stored in Maildir under the temporary folder. As root, the mail
processes run as the package's `dovecot` user (Dovecot refuses uid 0 for mail); as
another user, everything runs as that user.
"""

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def available() -> str | None:
    """None when Dovecot can run here, else the reason (shown as the skip reason)."""
    if not Path(DOVECOT).exists():
        return (
            "Dovecot không có trên máy "
            "(cài: apt-get install -y dovecot-imapd; .ci/run làm việc này)"
        )
    if os.getuid() == 0:
        try:
            pwd.getpwnam("dovecot")
            pwd.getpwnam("dovenull")
        except KeyError:
            return "thiếu người dùng hệ thống dovecot/dovenull của gói dovecot-core"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    folder: Path
    port: int
    user: str
    password: str
    process_config: Path

    def stop(self) -> None:
        subprocess.run(
            [DOVECOT, "-c", str(self.process_config), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )
        for _ in range(50):
            if not (self.folder / "run" / "master.pid").exists():
                break
            time.sleep(0.1)
        shutil.rmtree(self.folder, ignore_errors=True)


def _identity() -> tuple[int, int, str, str]:
    if os.getuid() == 0:
        mail = pwd.getpwnam("dovecot")
        return mail.pw_uid, mail.pw_gid, "dovenull", "dovecot"
    me = pwd.getpwuid(os.getuid())
    return me.pw_uid, me.pw_gid, me.pw_name, me.pw_name


def start(user="sonoivu@hatinh.gov.vn", password="mat-khau-thu") -> Server:
    folder = Path(tempfile.mkdtemp(prefix="portal-dovecot-"))
    folder.chmod(0o755)  # the login and mail processes run as other users
    uid, gid, login_user, internal_user = _identity()
    for name in ("run", "state", "mail", "home"):
        (folder / name).mkdir()
    for name in ("mail", "home"):
        os.chown(folder / name, uid, gid)
    (folder / "passwd").write_text(f"{user}:{{PLAIN}}{password}::::::\n")
    port = _free_port()
    group = grp.getgrgid(gid).gr_name
    config = folder / "dovecot.conf"
    config.write_text(
        f"""base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{folder}/mail/%n
first_valid_uid = {uid}
last_valid_uid = {uid}
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {group if os.getuid() else "dovecot"}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={folder}/home/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
    )
    # The daemon keeps its standard streams: give it a file, not a pipe we would wait on.
    with open(folder / "start.log", "wb") as out:
        done = subprocess.run([DOVECOT, "-c", str(config)], stdout=out, stderr=out, timeout=30)
    if done.returncode != 0:
        logs = "".join(p.read_text() for p in folder.glob("*.log"))
        raise RuntimeError(f"dovecot did not start: {logs}")
    server = Server(folder, port, user, password, config)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("dovecot did not listen on its port")
