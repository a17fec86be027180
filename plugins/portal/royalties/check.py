"""The royalty rule of an item, for `portal check`, the review gate and the tally.

`check_item_royalty(item, site)` reads the rates of the item's repository
(`reviews/royalty-rates.yml` beside `content/`, cached until it changes) and says,
at the line of the field: the work code must exist, the coefficient must lie in
its range, the units must not exceed the cap, each group's shares must add up to
100% and every author must be a person on the roster (staff, or an outside
contributor with `external: true`).
"""

from decimal import Decimal
from pathlib import Path

from portal.content.items import Item, check_authors
from portal.content.sitedata import SiteData
from portal.errors import Problem
from portal.project import REPO_RATES
from portal.royalties.rates import Rates, decimal, read_rates

SHARE_TOTAL = Decimal(100)
SHARE_TOLERANCE = Decimal("0.01")


def rates_for(site: SiteData) -> tuple[Rates | None, list[Problem]]:
    """The rates beside this site's content, read once per SiteData (one check or build)."""
    if "_royalty_rates" not in vars(site):
        site._royalty_rates = read_rates(Path(site.root).parent / REPO_RATES)
    rates, problems = site._royalty_rates
    return rates, list(problems)


def check_item_royalty(item: Item, site: SiteData) -> list[Problem]:
    """Problems with the item's `royalty` block and its authors; [] when it has none."""
    royalty = item.meta.get("royalty")
    if not isinstance(royalty, dict):
        return []
    rates, problems = rates_for(site)
    if rates is None:
        return problems
    if not item.meta.get("authors"):
        message = "có khối royalty nhưng không có tác giả (authors) để trả nhuận bút"
        return [*problems, item.problem(("royalty",), message)]
    problems += _work_problems(item, royalty, rates)
    problems += share_problems(item)
    problems += _payee_problems(item, site)
    return problems


def _work_problems(item: Item, royalty: dict, rates: Rates) -> list[Problem]:
    work = rates.works.get(royalty.get("work"))
    if work is None:
        codes = ", ".join(sorted(rates.works))
        return [
            item.problem(
                ("royalty", "work"),
                f"loại tác phẩm '{royalty.get('work')}' không có trong {REPO_RATES}; "
                f"các mã hợp lệ: {codes}",
            )
        ]
    problems = []
    if "coefficient" in royalty:
        coefficient = decimal(royalty["coefficient"])
        if not work.min <= coefficient <= work.max:
            problems.append(
                item.problem(
                    ("royalty", "coefficient"),
                    f"hệ số {coefficient} ngoài khung của loại '{work.code}' ({work.name}): "
                    f"cần từ {work.min} đến {work.max}",
                )
            )
    elif work.default is None:
        problems.append(
            item.problem(
                ("royalty",),
                f"thiếu trường 'coefficient' (hệ số nhuận bút, từ {work.min} đến {work.max}); "
                f"loại '{work.code}' không có hệ số mặc định",
            )
        )
    too_many = work.max_units is not None and decimal(royalty.get("units", 1)) > work.max_units
    if too_many:
        problems.append(
            item.problem(
                ("royalty", "units"),
                f"số đơn vị tính {royalty['units']} vượt mức tối đa {work.max_units} "
                f"của loại '{work.code}'",
            )
        )
    return problems


def author_groups(authors: list) -> tuple[list[int], list[int]]:
    """(main authors, photo authors) as indexes into `authors`.

    The main work is shared by writers, translators and video makers; photographers
    are paid for their photos, unless every author is a photographer (a photo story).
    """
    photo = [i for i, a in enumerate(authors) if a.get("role") == "photo"]
    main = [i for i, a in enumerate(authors) if a.get("role") != "photo"]
    return (main, photo) if main else (photo, [])


def share_problems(item: Item) -> list[Problem]:
    """In each group, either nobody has a share (equal split) or the shares add up to 100."""
    authors = item.meta.get("authors") or []
    problems = []
    for group, label in zip(author_groups(authors), ("tác giả", "người chụp ảnh"), strict=True):
        with_share = [i for i in group if "share" in authors[i]]
        if not with_share:
            continue
        if len(with_share) != len(group):
            missing = next(i for i in group if "share" not in authors[i])
            problems.append(
                item.problem(
                    ("authors", missing),
                    f"nhóm {label} có người ghi share, có người không: ghi share (%) cho mọi "
                    "người trong nhóm, hoặc bỏ hết để chia đều",
                )
            )
            continue
        total = sum(decimal(authors[i]["share"]) for i in group)
        if abs(total - SHARE_TOTAL) > SHARE_TOLERANCE:
            problems.append(
                item.problem(
                    ("authors", with_share[0], "share"),
                    f"tổng phần nhuận bút (share) của nhóm {label} là {total}%, cần đúng 100%",
                )
            )
    return problems


def _payee_problems(item: Item, site: SiteData) -> list[Problem]:
    if site.roster is None:
        return [
            item.problem(
                ("royalty",),
                "không có danh sách người reviews/roster.yml hợp lệ nên không xác định được "
                "người nhận nhuận bút",
            )
        ]
    return check_authors(item, site)
