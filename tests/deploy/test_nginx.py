"""The sample nginx configuration (deploy/nginx/) serving a real build with a real nginx on
127.0.0.1: the headers a <meta> tag cannot set, the portal's 404 page, and uploads that are
never served as pages or scripts, even when a file the build would refuse reaches the server."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import REPO, make_site
from tests.site.sitebuild import build

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SAMPLE = REPO / "deploy" / "nginx"
SNIPPETS = {
    "security-headers.conf": "cong-ttdt-headers.conf",
    "site-csp.conf": "cong-ttdt-csp.conf",
}
pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx chưa cài (apt-get install nginx-light; .ci/run cài)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_config(tmp: Path, site: Path, port: int) -> Path:
    """The sample site as an administrator installs it, moved to tmp paths and a free port."""
    server = (SAMPLE / "cong-ttdt.conf").read_text(encoding="utf-8")
    for sample, installed in SNIPPETS.items():
        shutil.copy(SAMPLE / sample, tmp / installed)
        server = server.replace(f"/etc/nginx/snippets/{installed}", str(tmp / installed))
    server = server.replace("root /var/www/sonoivu;", f"root {site};")
    server = re.sub(r"listen 80;", f"listen 127.0.0.1:{port};", server)
    server = server.replace("listen [::]:80;", "")
    (tmp / "site.conf").write_text(server, encoding="utf-8")
    # As root nginx would drop to `nobody`, which cannot read pytest's private tmp folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = tmp / "nginx.conf"
    main.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {tmp}/nginx.pid;\n"
        f"error_log {tmp}/error.log;\nevents {{ worker_connections 64; }}\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  access_log off;\n  client_body_temp_path {tmp}/body;\n"
        f"  proxy_temp_path {tmp}/proxy;\n  fastcgi_temp_path {tmp}/fastcgi;\n"
        f"  uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n"
        f"  include {tmp}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    return main


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx-site")
    make_site(root, with_sample_content=True)
    shutil.copy(REPO / "desk.yml", root / "desk.yml")  # the build writes the desk at /admin/
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "output"
    # Files the build refuses, planted after it as if copied to the server by hand.
    (site / "files" / "trang.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (site / "images" / "ma.js").write_text("alert(1)", encoding="utf-8")
    secret = root / "bi-mat.txt"
    secret.write_text("mật khẩu", encoding="utf-8")
    (site / "files" / "lien-ket.txt").symlink_to(secret)
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text("[core]", encoding="utf-8")
    conf_dir = tmp_path_factory.mktemp("nginx-conf")
    config = _server_config(conf_dir, site, port := _free_port())
    checked = subprocess.run([NGINX, "-t", "-c", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([NGINX, "-c", str(config)], stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    try:
        yield base, site
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url: str):
    """(status, headers, body) without raising on 4xx."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class _MetaCSP(HTMLParser):
    policy = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.policy = attrs.get("content")


def _directives(policy: str) -> dict[str, str]:
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (piece.strip() for piece in policy.split(";"))
        if part
    }


PAGES = [
    "/",
    "/tin-tuc/",
    "/van-ban/quyet-dinh-27-qd-snv/",
    "/theme/css/portal.css",
    "/files/27-QD-SNV-2021.pdf",
    "/images/so-do-to-chuc.svg",
    "/khong-co-trang-nay/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_forbids_framing_and_sniffing(served, path):
    base, _ = served
    _, headers, _ = fetch(base + path)
    policies = headers.get_all("Content-Security-Policy")
    assert any("frame-ancestors 'none'" in policy for policy in policies), policies
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Server"] == "nginx"  # no version


def test_header_policy_is_the_pages_own_plus_frame_ancestors(served):
    base, site = served
    parser = _MetaCSP()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    _, headers, _ = fetch(base + "/")
    header = _directives(headers["Content-Security-Policy"])
    assert header.pop("frame-ancestors") == "'none'"
    assert header == _directives(parser.policy)


def test_missing_address_gets_the_portal_404_page(served):
    base, site = served
    status, headers, body = fetch(base + "/khong-co-trang-nay/")
    assert status == 404
    assert body == (site / "404.html").read_bytes()
    assert headers["Content-Type"].startswith("text/html")
    assert fetch(base + "/404.html")[0] == 404  # the page itself is not an address


@pytest.mark.parametrize("path", ["/files/trang.html", "/images/ma.js", "/.git/config"])
def test_pages_and_scripts_among_uploads_are_not_served(served, path):
    status, _, body = fetch(served[0] + path)
    assert status == 404
    assert b"alert" not in body and b"[core]" not in body


def test_a_symlink_on_the_server_is_not_followed(served):
    status, _, body = fetch(served[0] + "/files/lien-ket.txt")
    assert status in (403, 404)
    assert "mật khẩu".encode() not in body


def test_svg_opened_alone_is_sandboxed(served):
    status, headers, _ = fetch(served[0] + "/images/so-do-to-chuc.svg")
    assert status == 200
    assert headers["Content-Type"] == "image/svg+xml"
    assert any("sandbox" in policy for policy in headers.get_all("Content-Security-Policy"))


def test_pdf_is_served_as_pdf(served):
    status, headers, body = fetch(served[0] + "/files/27-QD-SNV-2021.pdf")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF")


def test_the_desk_has_its_own_policy_and_only_that_one(served):
    """Browsers apply every policy they get: the site's would stop Decap, so /admin/ gets
    exactly the desk's (`portal desk csp` for the repository's desk.yml)."""
    status, headers, body = fetch(served[0] + "/admin/")
    assert status == 200 and b"<html" in body.lower()
    desk = subprocess.run(
        [str(Path(sys.executable).parent / "portal"), "desk", "csp"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert headers.get_all("Content-Security-Policy") == [desk]
    _, script_headers, _ = fetch(served[0] + "/admin/desk.js")
    assert script_headers.get_all("Content-Security-Policy") == [desk]
