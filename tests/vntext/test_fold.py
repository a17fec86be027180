from portal.vntext import fold, slugify


def test_fold_removes_tones_and_d_stroke():
    assert fold("Đà Nẵng") == "da nang"
    assert fold("Sở Nội vụ") == "so noi vu"


def test_fold_takes_nfd_input():
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Hà Tĩnh")) == "ha tinh"


def test_slugify():
    assert slugify("Sở Nội vụ Hà Tĩnh") == "so-noi-vu-ha-tinh"
    assert slugify("  Quyết định số 27/QĐ-SNV  ") == "quyet-dinh-so-27-qd-snv"
