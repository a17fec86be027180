"""Amounts in Vietnamese words, as written under the total of a payment statement.

`amount_in_words(2_340_000)` → "Hai triệu ba trăm bốn mươi nghìn đồng".

Reading rules: a leading group is read as it is (15 → "mười lăm"); every later
group is read with all three digits ("không trăm", "linh"/"lẻ"); groups of zero
are skipped; 1 after a tens digit ≥ 2 is "mốt", 5 after any tens digit is "lăm",
4 after a tens digit ≥ 2 is "tư"; "tỷ" closes everything above it, so a thousand
billion is "một nghìn tỷ".
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
BILLION = 1_000_000_000


def number_in_words(number: int, odd: str = "linh", thousand: str = "nghìn") -> str:
    """A whole number in lower-case Vietnamese words; `odd` is "linh" (North) or "lẻ" (South)."""
    if number < 0:
        return "âm " + number_in_words(-number, odd, thousand)
    if number == 0:
        return DIGITS[0]
    return _read(number, True, odd, thousand)


def amount_in_words(amount: int, currency: str = "đồng", odd: str = "linh") -> str:
    """`amount` in words, capitalised, followed by the currency."""
    text = f"{number_in_words(int(amount), odd)} {currency}"
    return text[0].upper() + text[1:]


def _read(number: int, leading: bool, odd: str, thousand: str) -> str:
    """A number below or above a billion; `leading` is False after a higher group."""
    if number >= BILLION:
        high, low = divmod(number, BILLION)
        words = f"{_read(high, leading, odd, thousand)} tỷ"
        return f"{words} {_read(low, False, odd, thousand)}" if low else words
    scales = ("", thousand, "triệu")
    groups = [(number // 1000**power) % 1000 for power in (2, 1, 0)]
    parts = []
    for group, scale in zip(groups, reversed(scales), strict=True):
        if group == 0:
            continue
        parts.append(_group(group, leading and not parts, odd))
        if scale:
            parts.append(scale)
    return " ".join(parts)


def _group(number: int, leading: bool, odd: str) -> str:
    """Three digits; a leading group drops "không trăm" and the "linh" before a lone unit."""
    hundreds, tens, units = number // 100, (number // 10) % 10, number % 10
    words = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append(odd)
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        words.append(_unit(units, tens))
    return " ".join(words)


def _unit(units: int, tens: int) -> str:
    if units == 1 and tens >= 2:
        return "mốt"
    if units == 5 and tens >= 1:
        return "lăm"
    if units == 4 and tens >= 2:
        return "tư"
    return DIGITS[units]
