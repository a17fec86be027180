"""`{% fragment %}`: a part of a page rendered once per build and reused.

The oracle for the output is the same template with the fragment tags taken out: a page
must not change by a byte. The oracle for the recording is what the page records when
the body is rendered on it."""

import re
from pathlib import Path

import jinja2
import pytest

from portal.site.fragments import FragmentCache
from portal.site.tracking import Tracker, TrackingContext
from tests.conftest import make_site
from tests.site.test_incremental import assert_same_as_cold, item, rebuild

FRAGMENT, END = re.compile(r"\{% fragment [^%]*%\}"), re.compile(r"\{% endfragment %\}")


def environment(templates: dict[str, str], fragments: bool = True) -> jinja2.Environment:
    """An environment set up as the portal's (autoescape, trimmed blocks, recording);
    without fragments, each is an `{% if true %}` block, which is trimmed the same way."""
    if not fragments:
        templates = {
            name: END.sub("{% endif %}", FRAGMENT.sub("{% if true %}", text))
            for name, text in templates.items()
        }
    env = jinja2.Environment(
        loader=jinja2.DictLoader(templates),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[FragmentCache] if fragments else [],
    )
    env.context_class = TrackingContext
    return env


def render_pages(env, pages: list[dict], settings=None) -> list[tuple[str, frozenset, bool]]:
    """Each page of `page.html` rendered as the portal renders it: output, paths read,
    whether the recording is complete."""
    tracker = Tracker()
    rendered = []
    for context in pages:
        output, recorder = tracker.render(env.get_template("page.html"), context, settings or {})
        rendered.append((output, frozenset(recorder.paths), recorder.complete))
    return rendered


def test_a_body_is_rendered_once_per_key():
    calls = []
    loop = "{% for x in xs %}{% fragment x % 2 %}{{ tick(x) }}{% endfragment %}{% endfor %}"
    env = environment({"page.html": loop})
    env.globals["tick"] = lambda x: calls.append(x) or f"<{x}>"
    assert env.get_template("page.html").render(xs=[1, 2, 3, 4]) == "&lt;1&gt;&lt;2&gt;" * 2
    assert calls == [1, 2]
    assert env.get_template("page.html").render(xs=[5]) == "&lt;1&gt;"  # the build's cache
    assert (
        environment(env.loader.mapping).get_template("page.html").render(xs=[5], tick=str) == "5"
    )  # a new environment (a new build) starts empty


def test_true_one_and_an_undefined_name_are_different_keys():
    env = environment({"page.html": "{% fragment key %}{{ key }}{% endfragment %}"})
    template = env.get_template("page.html")
    outputs = [template.render(key=key) for key in (True, 1, "1", None)] + [template.render()]
    assert outputs == ["True", "1", "1", "None", ""]


CHROME = {
    "page.html": """<html>
  {% set en = lang == "en" %}
  <head>
  {% fragment SITEURL %}
  <link rel="stylesheet" href="{{ SITEURL }}/theme/css/portal.css">
  {% endfragment %}
  </head>
  {% fragment lang, SITEURL, active %}
  <ul>
    {% for section in SECTIONS %}
    <li><a href="{{ SITEURL }}/{{ section.code }}/"
      {%- if section.code == active %} aria-current="true"{% endif %}>{{ section.title }}</a></li>
    {% endfor %}
  </ul>
  {% if en %}<p>English</p>{% endif %}
  {% endfragment %}
  <main>{{ body }}</main>
  {% for item in items %}{% include "summary.html" %}{% endfor %}
</html>
""",
    "summary.html": """{# one item #}
{% fragment item with SITEURL %}
<article>
  <a href="{{ SITEURL }}/{{ item.url }}">{{ item.title }}</a>
  {% include "meta.html" %}
</article>{% endfragment %}
""",
    "meta.html": '<p>{{ UNITS[item.unit] }} <a href="{{ SITEURL }}/luu-tru/">…</a></p>\n',
}


def pages() -> list[dict]:
    sections = [{"code": "tin-tuc", "title": "Tin tức"}, {"code": "van-ban", "title": "A & B"}]
    units = {"vp": "Văn phòng <Sở>", "tccb": "Tổ chức cán bộ"}
    items = [
        {"url": f"tin-{n}/", "title": f"Tin {n} & <b>", "unit": "vp" if n % 2 else "tccb"}
        for n in range(4)
    ]
    shared = {"SECTIONS": sections, "UNITS": units}
    return [
        {**shared, "SITEURL": siteurl, "lang": lang, "active": active, "body": body, "items": part}
        for siteurl, lang, active, body, part in [
            (".", "vi", None, "trang chủ", items[:3]),
            ("..", "vi", "tin-tuc", "<chuyên mục>", items[1:]),
            ("../..", "vi", "tin-tuc", "trang 2", items[::2]),
            ("../..", "en", None, "about", []),
            ("a&b", "vi", "van-ban", "lạ", items),  # a value that escaping changes
            ("..", "vi", "tin-tuc", "lại", items[1:]),
        ]
    ]


def test_pages_are_the_same_as_without_fragments_byte_for_byte():
    with_fragments = render_pages(environment(CHROME), pages())
    without = render_pages(environment(CHROME, fragments=False), pages())
    assert [output for output, *_ in with_fragments] == [output for output, *_ in without]
    assert "a&amp;b/tin-3/" in with_fragments[4][0]  # the stand-in took the page's SITEURL


def test_a_reused_body_records_what_it_read_on_every_page():
    with_fragments = render_pages(environment(CHROME), pages())
    without = render_pages(environment(CHROME, fragments=False), pages())
    assert [rest for _, *rest in with_fragments] == [rest for _, *rest in without]
    last = with_fragments[-1][1]  # every fragment of the last page came from the cache
    assert ("SECTIONS", ("all",)) in last and ("UNITS", ("item", "tccb")) in last


def test_the_bodies_are_rendered_once_per_key():
    env = environment(CHROME)
    render_pages(env, pages())
    extension = env.extensions[f"{FragmentCache.__module__}.{FragmentCache.__name__}"]
    by_tag = {}
    for key in extension.fragments:
        by_tag[key[0]] = by_tag.get(key[0], 0) + 1
    # the head once per SITEURL (4), the menu once per (lang, SITEURL, active) (5),
    # each item's summary once whatever the SITEURL (4)
    assert sorted(by_tag.values()) == [4, 4, 5]
    assert extension.hits == 2 + 1 + (3 + 3 + 2 + 4 + 3 - 4)


@pytest.mark.parametrize(
    "text", ["{% fragment %}x{% endfragment %}", "{% fragment a with %}x{% endfragment %}"]
)
def test_a_fragment_without_a_key_or_a_name_is_a_syntax_error(text):
    with pytest.raises(jinja2.TemplateSyntaxError):
        environment({"page.html": text}).get_template("page.html")


# --- incremental builds: a page whose fragments came from the cache still follows
#     every change of what they show --------------------------------------------------


def test_pages_follow_what_their_fragments_show(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    content = make_site(root, with_sample_content=True)
    extra = content / "tin-tuc" / "them"
    extra.mkdir()
    for number in range(1, 13):
        (extra / f"tin-{number}.md").write_text(
            item(f"Tin thêm số {number}", day=number), encoding="utf-8"
        )
    rebuild(root)
    listing = root / "output/tu-khoa/thu-nghiem/index.html"
    assert "Tin thêm số 7" in listing.read_text(encoding="utf-8")
    steps = [
        # an item's summary, shown by the summary fragment on listings at several depths
        (extra / "tin-7.md", "summary: Tin thử nghiệm", "summary: Tin đã sửa"),
        # its unit, shown by the fragment's meta line (UNITS is read inside the fragment)
        (extra / "tin-7.md", "unit: van-phong", "unit: thanh-tra"),
        # a data file the footer fragment shows on every page
        (content / "data/links.yml", "name: Bộ Nội vụ", "name: Bộ Nội vụ (Trung ương)"),
    ]
    for path, old, new in steps:
        _edit(path, old, new)
        rebuild(root)
        assert_same_as_cold(root, tmp_path / "scratch")
    shown = listing.read_text(encoding="utf-8")
    assert "Tin đã sửa" in shown and "Bộ Nội vụ (Trung ương)" in shown


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
