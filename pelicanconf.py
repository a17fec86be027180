"""Pelican settings of the Cổng thông tin điện tử Sở Nội vụ Hà Tĩnh (development build)."""

import sys
from pathlib import Path

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT / "plugins"))  # `pelican` run without the editable install

SITENAME = "Cổng thông tin điện tử Sở Nội vụ Hà Tĩnh"
SITENAME_EN = "Department of Home Affairs of Ha Tinh province"
SITESUBTITLE = "Sở Nội vụ tỉnh Hà Tĩnh"
SITEURL = ""
# The public address: canonical links, Open Graph, sitemap.xml and robots.txt name it
# whatever address a build is served from.
PUBLIC_URL = "https://sonoivu.hatinh.gov.vn"
SITE_EMAIL = "sonoivu@hatinh.gov.vn"
SITE_ADDRESS = "Số 02 đường Nguyễn Chí Thanh, phường Thành Sen, tỉnh Hà Tĩnh"
SITE_PHONE = "0239 3855 512"
SITE_ADDRESS_EN = "No. 02 Nguyen Chi Thanh street, Thanh Sen ward, Ha Tinh province"

# Nghị định 42/2022/NĐ-CP: the footer names who answers for the portal and the decision it is
# run under. The administrator sets these (sample values until then).
PORTAL_EDITOR_IN_CHIEF = "Giám đốc Sở Nội vụ, Trưởng Ban Biên tập (mẫu: Trần Minh Đức)"
PORTAL_EDITOR_IN_CHIEF_EN = "Director of the Department, head of the editorial board"
PORTAL_LICENCE = (
    "Cổng thông tin điện tử thiết lập và vận hành theo Quyết định số 27/QĐ-SNV ngày 22/4/2021 "
    "của Giám đốc Sở Nội vụ"
)
PORTAL_LICENCE_EN = "Run under Decision No. 27/QĐ-SNV of 22 April 2021 of the Director"

# The agency's emblem or logo. The theme ships a marked placeholder, not an emblem: the
# administrator copies the real file into theme/static/images/ and names it here.
PORTAL_EMBLEM = "theme/images/emblem-placeholder.svg"
PORTAL_EMBLEM_IS_PLACEHOLDER = True

PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_DATE_FORMAT = "%d/%m/%Y"

# The project's code is one package, loaded explicitly.
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["portal.pelican"]

# Content layout: pages in content/pages, items in every other folder.
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages", "data", "images", "files"]
STATIC_PATHS = ["images", "files"]
# Only the portal's reader (`.md`, checked by the content rules) reads items: Pelican's other
# readers would publish `.html`, `.rst` or `.markdown` files unchecked (the build refuses them).
READERS = {"html": None, "htm": None, "rst": None, "markdown": None, "mkd": None, "mdown": None}

# Drafts and future-dated items are never published (Điều 10: scheduled publishing).
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = ""
DRAFT_URL = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_URL = ""

# URLs: the section is the category; slugs are ASCII (đ → d) and unique site-wide.
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
PAGE_URL = "{category}/{slug}/"
PAGE_SAVE_AS = "{category}/{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = "tu-khoa/{slug}/"
TAG_SAVE_AS = "tu-khoa/{slug}/index.html"
TAGS_SAVE_AS = "tu-khoa/index.html"
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = "luu-tru/index.html"
ARCHIVES_URL = "luu-tru/"
# Pages made from theme templates alone: search, the 404 page and the site map.
DIRECT_TEMPLATES = ["index", "tags", "archives", "search", "notfound", "sitemap"]
SITEMAP_SAVE_AS = "so-do-cong/index.html"  # the human-readable site map (Sơ đồ Cổng)
SITEMAP_URL = "so-do-cong/"
SEARCH_SAVE_AS = "tim-kiem/index.html"
SEARCH_URL = "tim-kiem/"
NOTFOUND_SAVE_AS = "404.html"
NOTFOUND_URL = "404.html"
ARTICLE_LANG_URL = "{category}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{category}/{slug}/index.html"
PAGE_LANG_URL = "{category}/{slug}/"
PAGE_LANG_SAVE_AS = "{category}/{slug}/index.html"

# Pelican's default pattern writes page 4 of tag `tag1` onto page 1 of tag `tag14`.
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds: everything, and per section.
FEED_DOMAIN = "https://sonoivu.hatinh.gov.vn"  # feeds always point at the public portal
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
FEED_ALL_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

# Safe output: raw HTML in Markdown is sanitised; iframes only from these address prefixes
# (also the page's Content-Security-Policy frame-src). Search is built with Pagefind.
PORTAL_EMBEDS = ["https://www.youtube-nocookie.com/embed/"]
PORTAL_SEARCH = True

# Incremental builds (docs/performance.md): the portal keeps what it read of each item by
# content hash and renders only the pages whose inputs changed, in CACHE_PATH. Pelican's
# own content cache stays off: it does not notice a change of settings.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
# With its cache off Pelican still stamps each file four times: a stat is the cheapest.
# (Were CACHE_CONTENT turned back on, this must be "md5": CI checkouts reset mtimes.)
CHECK_MODIFIED_METHOD = "mtime"
CACHE_PATH = "cache"
# Pages are rendered and items read in this many processes (default: the usable cores).
PORTAL_BUILD_PROCESSES = 0
# Feeds carry the latest entries only: readers' feed clients need no more, and a feed of
# every item grows with the portal's whole history.
FEED_MAX_ITEMS = 50

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

RELATIVE_URLS = True

# Every value a template prints is HTML-escaped: titles, summaries, names and data files are
# contributors' text. Only the sanitised HTML of an item's body is marked safe (`|safe` on
# `content`); the plugin turns autoescaping on even if this line is changed.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
    "autoescape": True,
}

# Pages that show a data file although their section does not (English contacts, units).
PORTAL_PAGE_DATA = {
    "contacts": "directory-en",
    "organisation": "organisation-en",
    "lanh-dao-so": "leaders",
}

# The chrome (header, menu, footer) of English pages: the English pages are the menu.
PORTAL_ENGLISH_MENU = [
    ("About us", "gioi-thieu/about-us/"),
    ("Organisation chart", "gioi-thieu/organisation/"),
    ("Contacts", "gioi-thieu/contacts/"),
]

# Questions from citizens (Hỏi đáp): a static portal cannot receive a form. None = the page
# offers a prepared e-mail to SITE_EMAIL; an https address = a form posts there (a receiving
# service the administrator runs). The page says truthfully which one happens.
PORTAL_QUESTION_ENDPOINT = None
