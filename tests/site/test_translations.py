"""The portal's group-by-group `process_translations` gives what Pelican's gives."""

import logging
import random

import pytest
from pelican import generators
from pelican.utils import process_translations as pelican_process_translations

from portal.site.incremental import process_translations, use_fast_translations


class Item:
    def __init__(self, number, slug, lang, translation):
        self.number, self.slug, self.lang = number, slug, lang
        self.metadata = {"translation": translation} if translation else {}
        self.in_default_lang = lang == "vi"
        self.source_path = f"item-{number}.md"


def numbers(items):
    return [item.number for item in items]


@pytest.mark.parametrize("translation_id", ["slug", ("slug", "lang"), None])
def test_same_originals_translations_and_order_as_pelican(translation_id, caplog):
    caplog.set_level(logging.ERROR)  # Pelican warns about the random duplicates
    rng = random.Random(15)
    for _ in range(100):
        items = [
            Item(
                n,
                f"s{rng.randint(0, 20)}",
                rng.choice(["vi", "vi", "en"]),
                rng.choice(["", "true", "false"]),
            )
            for n in range(rng.randint(0, 50))
        ]
        theirs_list, ours_list = list(items), list(items)
        theirs = pelican_process_translations(theirs_list, translation_id)
        their_links = {item.number: numbers(getattr(item, "translations", [])) for item in items}
        ours = process_translations(ours_list, translation_id)
        our_links = {item.number: numbers(getattr(item, "translations", [])) for item in items}
        assert [numbers(part) for part in ours] == [numbers(part) for part in theirs]
        assert our_links == their_links
        assert numbers(ours_list) == numbers(theirs_list)  # sorted in place the same way


def test_a_bad_translation_id_is_refused_as_pelican_refuses_it():
    with pytest.raises(AttributeError, match="as 'translation_id'"):
        process_translations([Item(1, "a", "vi", "")], "missing")


def test_pelicans_generators_use_it():
    use_fast_translations()
    assert generators.process_translations is process_translations
