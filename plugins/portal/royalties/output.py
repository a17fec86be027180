"""Writing statements and reports: outside the public site, atomically, reproducibly.

Files are shown first (new, replaced or unchanged), then each is written to a
temporary file beside it and renamed over the old one, so a reader never sees a
half-written statement. Workbooks get fixed metadata times and zip timestamps,
so the same repository state gives the same bytes.
"""

import io
import os
import re
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from portal.errors import PortalError, display_path
from portal.files import write_atomically

PUBLIC_DIRS = ("output",)
if TYPE_CHECKING:  # openpyxl loads when a workbook is made, not when `portal` starts
    from openpyxl import Workbook

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def check_outside_public_site(folder: Path, project_root: Path) -> None:
    """Amounts never go on the public site: refuse any folder inside output/."""
    folder = Path(folder).resolve()
    for name in PUBLIC_DIRS:
        public = (Path(project_root) / name).resolve()
        if folder == public or public in folder.parents:
            raise PortalError(
                f"không ghi bảng kê vào '{display_path(folder)}': thư mục {name}/ là Cổng công "
                "khai, số tiền không bao giờ được đưa lên đó; chọn thư mục khác (mặc định build/)"
            )


def plan(folder: Path, files: dict[str, bytes]) -> list[tuple[str, str]]:
    """(file, "mới" | "thay thế" | "không đổi") for each file to write."""
    result = []
    for name in sorted(files):
        target = Path(folder) / name
        if not target.is_file() or target.is_symlink():
            state = "mới"
        elif target.read_bytes() == files[name]:
            state = "không đổi"
        else:
            state = "thay thế"
        result.append((name, state))
    return result


def write_all(folder: Path, files: dict[str, bytes]) -> None:
    """Every file or none: the folder and each target are checked before the first write."""
    folder = Path(folder)
    prepare_folder(folder, files)
    for name, data in sorted(files.items()):
        write_atomically(folder / name, data)


def prepare_folder(folder: Path, files: dict[str, bytes]) -> None:
    """The output folder exists (made if needed), is a folder and is writable, and no
    target is a folder or a link; otherwise a PortalError that names the path."""
    shown = display_path(folder)
    if folder.exists() and not folder.is_dir():
        raise PortalError(f"không ghi được vào '{shown}': đó là một tệp, không phải thư mục")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PortalError(f"không tạo được thư mục '{shown}': {error.strerror}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PortalError(f"không ghi được vào thư mục '{shown}': không có quyền ghi")
    for name in files:
        target = folder / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise PortalError(
                f"không ghi được '{display_path(target)}': đã có một thư mục hay liên kết "
                "cùng tên; xoá nó hoặc chọn --out khác"
            )


def show_and_write(folder: Path, files: dict[str, bytes], dry_run: bool, out) -> None:
    """Say what will change, then change it (unless `dry_run`)."""
    shown = display_path(folder)
    print(f"{'Sẽ ghi' if dry_run else 'Ghi'} vào {shown}/:", file=out)
    if Path(folder).exists() and not Path(folder).is_dir():
        raise PortalError(f"không ghi được vào '{shown}': đó là một tệp, không phải thư mục")
    for name, state in plan(folder, files):
        print(f"  {name} ({state})", file=out)
    if not dry_run:
        write_all(folder, files)


def workbook_bytes(workbook: "Workbook", moment: datetime) -> bytes:
    """The workbook's bytes with `moment` as its created/modified time and fixed zip times."""
    workbook.properties.creator = "Cổng TTĐT Sở Nội vụ Hà Tĩnh"
    workbook.properties.lastModifiedBy = "portal"
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(lambda m: m.group(1) + stamp + m.group(3), data)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return result.getvalue()


def money(amount: int) -> str:
    """2340000 → "2.340.000" (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def number(value: Decimal | int) -> str:
    """Decimal(0.5) → "0,5"; the Vietnamese decimal comma, no trailing zeros."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")
