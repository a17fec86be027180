"""How every browser test starts Debian's Chromium (/work/shared/reference/tooling.md): no
sandbox as root, and no background traffic, since the machine has no network."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
