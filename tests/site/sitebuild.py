"""Building the sample portal with the real Pelican, and serving it on 127.0.0.1."""

import functools
import http.server
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

from portal.site import build_command
from tests.conftest import make_site


def build_sample(root: Path) -> Path:
    """The repository's sample portal built into `root`/output; returns the output folder."""
    make_site(root, with_sample_content=True)
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "output"


def read_page(output: Path, url: str) -> str:
    """The built page at a site address such as `/tin-tuc/`."""
    return (output / url.strip("/") / "index.html").read_text(encoding="utf-8")


def build(root: Path, *extra: str) -> subprocess.CompletedProcess:
    """`pelican content -o output` in `root`, as `make html` runs it."""
    return subprocess.run(
        build_command(*extra),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; a missing address gets the site's 404 page, as the web server does."""

    def log_message(self, *args):  # keep the test output quiet
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(folder: Path):
    """Serve `folder` on a free port of 127.0.0.1 from a thread; yields the base URL."""
    handler = functools.partial(_SiteHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
