"""`portal desk …`: the editorial desk's configuration, its admin folder, its guard."""

import sys
from pathlib import Path

from portal.desk import admin, config, guard
from portal.errors import PortalError
from portal.files import write_atomically


def add_commands(subparsers) -> None:
    desk = subparsers.add_parser("desk", help="bàn biên tập trên trình duyệt (Decap CMS, /admin/)")
    commands = desk.add_subparsers(dest="desk_command", metavar="LỆNH")
    commands.required = True

    make = commands.add_parser("config", help="tạo config.yml của Decap từ lược đồ và dữ liệu")
    _common(make)
    make.add_argument("--output", help="ghi vào tệp này (mặc định: in ra màn hình)")
    make.add_argument(
        "--check", action="store_true", help="chỉ kiểm tra tệp --output có đúng bản mới nhất"
    )
    make.set_defaults(func=run_config)

    build = commands.add_parser("admin", help="ghi thư mục admin/ (trang, cấu hình, gói Decap)")
    _common(build)
    build.add_argument("output", help="thư mục của trang đã dựng, ví dụ output")
    build.set_defaults(func=run_admin)

    policy = commands.add_parser(
        "csp", help="in CSP của trang /admin/ để đặt vào máy chủ web (thêm frame-ancestors)"
    )
    _common(policy)
    policy.set_defaults(func=run_csp)

    hook = commands.add_parser(
        "guard", help="hook reference-transaction của git: main chỉ đổi khi cổng duyệt cho qua"
    )
    hook.add_argument("state", help="trạng thái git truyền cho hook (prepared, committed...)")
    hook.add_argument("--branch", default="main", help="nhánh được bảo vệ (mặc định main)")
    hook.set_defaults(func=run_guard)

    install = commands.add_parser("install-guard", help="cài hook bảo vệ nhánh vào một kho git")
    install.add_argument("repo", help="thư mục kho git (kho decap-server dùng)")
    install.add_argument("--branch", default="main")
    install.set_defaults(func=run_install_guard)


def _common(parser) -> None:
    parser.add_argument("--root", default=".", help="thư mục gốc của kho (mặc định: .)")
    parser.add_argument("--settings", help="tệp cài đặt (mặc định: desk.yml)")
    parser.add_argument(
        "--local-backend",
        help="địa chỉ decap-server trên máy này, ví dụ http://127.0.0.1:8081/api/v1",
    )


def desk_config(args) -> dict:
    root = Path(args.root)
    settings = config.load_settings(root, args.settings)
    if args.local_backend:
        settings = {**settings, "local_backend": args.local_backend}
        problems = config.settings_problems(settings, "--local-backend")
        if problems:
            raise PortalError("--local-backend không hợp lệ:", problems)
    return config.build_config(root, settings)


def run_config(args) -> int:
    text = config.to_yaml(desk_config(args))
    if args.check:
        if not args.output:
            raise PortalError("--check cần --output TỆP")
        current = (
            Path(args.output).read_text(encoding="utf-8") if Path(args.output).is_file() else ""
        )
        if current != text:
            print(f"{args.output}: cũ, chạy lại `portal desk config --output {args.output}`")
            return 1
        print(f"{args.output}: khớp lược đồ và dữ liệu")
        return 0
    if args.output:
        write_atomically(Path(args.output), text)
        print(f"Đã ghi {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def run_admin(args) -> int:
    written = admin.write_admin(Path(args.output), desk_config(args))
    print(f"{admin.ADMIN_DIR}/: {len(written)} tệp được ghi")
    return 0


def run_csp(args) -> int:
    """The header a web server sends for /admin/ (a header can say frame-ancestors)."""
    print(admin.content_security_policy(desk_config(args)) + "; frame-ancestors 'none'")
    return 0


def run_guard(args) -> int:
    return guard.run(args.state, sys.stdin.read(), args.branch)


def run_install_guard(args) -> int:
    path = guard.install(Path(args.repo), args.branch)
    print(f"Đã cài {path}")
    return 0
