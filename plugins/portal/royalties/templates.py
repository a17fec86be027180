"""Jinja templates of the printable statement and of the build's internal tally page.

Kept in Python so they ship with the package however it is installed.
"""

PRINT_CSS = """
  @page { size: A4 landscape; margin: 12mm; }
  body { font-family: "Times New Roman", "DejaVu Serif", serif; font-size: 12pt; color: #000; }
  .letterhead { display: flex; justify-content: space-between; text-align: center; }
  .letterhead p { margin: 0; }
  h1 { text-align: center; font-size: 15pt; margin: 18px 0 4px; }
  h2 { font-size: 13pt; margin: 18px 0 6px; }
  .subtitle { text-align: center; font-style: italic; margin: 0 0 12px; }
  .banner { border: 2px solid #c00000; color: #c00000; font-weight: bold; padding: 6px 10px;
            margin: 8px 0; }
  table { border-collapse: collapse; width: 100%; font-size: 10.5pt; }
  th, td { border: 1px solid #000; padding: 3px 5px; vertical-align: top; }
  th { background: #eee; }
  td.num { text-align: right; white-space: nowrap; }
  tr.subtotal td, tr.total td { font-weight: bold; }
  .words { font-style: italic; margin: 6px 0; }
  .place-date { text-align: right; font-style: italic; margin: 18px 0 4px; }
  .signatures { display: flex; justify-content: space-between; margin-top: 6px;
                text-align: center; page-break-inside: avoid; }
  .signatures > div { width: 30%; }
  .signatures .hint { font-style: italic; }
  .signatures .space { height: 80px; }
  .signatures .name { font-weight: bold; }
  @media print { .draft-mark { display: none; } }
  .draft-mark { position: fixed; top: 0; left: 0; right: 0; text-align: center;
                color: #c00000; font-weight: bold; font-size: 11pt; }
  .draft-body { margin-top: 22px; }
  .bases { font-size: 10pt; margin: 12px 0; }
  .note { font-size: 9pt; color: #333; margin-top: 18px; }
  a { color: inherit; }
"""

STATEMENT_HTML = (
    """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<title>{{ title }}</title>
<style>"""
    + PRINT_CSS
    + """</style>
{% if s.draft %}<style>
  @page { @top-center { content: "{{ draft_mark }}"; color: #c00000; font-weight: bold;
                        font-size: 11pt; } }
</style>{% endif %}
</head>
<body{% if s.draft %} class="draft-body"{% endif %}>
{% if s.draft %}<div class="draft-mark" role="alert">{{ draft_mark }}</div>{% endif %}
<div class="letterhead">
  <div><p>SỞ NỘI VỤ TỈNH HÀ TĨNH</p><p><strong>BAN BIÊN TẬP CỔNG TTĐT</strong></p></div>
  <div><p><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong></p>
       <p><strong>Độc lập - Tự do - Hạnh phúc</strong></p></div>
</div>
<h1>{{ title }}</h1>
<p class="subtitle">Căn cứ Điều 15, 16, 18 Quy chế 27/QĐ-SNV ngày 22/4/2021 và
{{ s.rates.source }}</p>
{% for text in banners %}<p class="banner" role="alert">{{ text }}</p>
{% endfor %}
<h2>I. Nhuận bút tin, bài, ảnh</h2>
<table>
<thead><tr><th>STT</th><th>Họ và tên (bút danh)</th><th>Đơn vị</th><th>Tiêu đề</th>
<th>Loại</th><th>Chuyên mục</th><th>Ngày đăng</th><th>Tác phẩm</th><th>Hệ số</th>
<th>Số đơn vị</th><th>Phần hưởng</th><th>Tỷ lệ theo nguồn gốc</th><th>Giá trị 1 hệ số</th>
<th>Thành tiền</th><th>Thuế TNCN</th><th>Thực nhận</th><th>Ký nhận</th></tr></thead>
<tbody>
{% set counter = namespace(n=0) %}
{% for person in s.people %}{% for line in person.lines %}{% set counter.n = counter.n + 1 %}
<tr><td class="num">{{ counter.n }}</td>
<td>{{ person.name }}{% if person.pen_name %} ({{ person.pen_name }}){% endif %}</td>
<td>{{ person.unit }}</td><td><a href="{{ line.url }}">{{ line.title }}</a></td>
<td>{{ line.kind }}</td><td>{{ line.section }}</td><td>{{ line.published | when }}</td>
<td>{{ line.work }}</td><td class="num">{{ line.coefficient | number }}</td>
<td class="num">{{ line.units | number }}</td>
<td class="num">{{ percent(line.share) | number }}%</td>
<td class="num">{{ percent(line.origin) | number }}%</td>
<td class="num">{{ line.unit_value | money }}</td><td class="num">{{ line.amount | money }}</td>
<td></td><td></td>{% if loop.first %}<td class="sign-receipt"
 rowspan="{{ person.lines | length + 1 }}"></td>{% endif %}</tr>
{% endfor %}
<tr class="subtotal"><td></td><td colspan="12">Cộng: {{ person.name }}</td>
<td class="num">{{ person.amount | money }}</td><td class="num">{{ person.tax | money }}</td>
<td class="num">{{ person.net | money }}</td></tr>
{% else %}<tr><td colspan="17">Không có tin, bài nào được trả nhuận bút trong tháng.</td></tr>
{% endfor %}
<tr class="total"><td></td><td colspan="12">TỔNG CỘNG NHUẬN BÚT</td>
<td class="num">{{ s.royalty_total | money }}</td><td class="num">{{ s.tax_total | money }}</td>
<td class="num">{{ s.net_total | money }}</td><td></td></tr>
</tbody></table>
<p class="words">Bằng chữ: {{ s.royalty_total | words }}</p>
<p>Thuế thu nhập cá nhân: khấu trừ {{ (s.rates.tax_rate * 100) | number }}% khi tổng nhuận bút
trả cho một người trong tháng từ {{ s.rates.tax_threshold | money }} đồng
({{ s.rates.tax_source }}).</p>

<h2>II. Phụ cấp Ban Biên tập</h2>
<table>
<thead><tr><th>STT</th><th>Họ và tên</th><th>Vai trò</th><th>Số ngày giữ vai trò</th>
<th>Mức phụ cấp tháng</th><th>Thành tiền</th><th>Ký nhận</th></tr></thead>
<tbody>
{% for a in s.allowances %}<tr><td class="num">{{ loop.index }}</td><td>{{ a.name }}</td>
<td>{{ a.role }}</td><td class="num">{{ a.days }}/{{ a.month_days }}</td>
<td class="num">{{ a.monthly | money }}</td><td class="num">{{ a.amount | money }}</td>
<td></td></tr>
{% endfor %}
<tr class="total"><td></td><td colspan="4">TỔNG CỘNG PHỤ CẤP</td>
<td class="num">{{ s.allowance_total | money }}</td><td></td></tr>
</tbody></table>
<p class="words">Bằng chữ: {{ s.allowance_total | words }}</p>

<h2>III. Tổng số tiền chi trả</h2>
<p><strong>{{ s.payment_total | money }} đồng</strong> (nhuận bút sau thuế
{{ s.net_total | money }} đồng + phụ cấp {{ s.allowance_total | money }} đồng).</p>
<p class="words">Bằng chữ: {{ s.payment_total | words }}</p>
{% if s.unpaid %}
<h2>IV. Tin, bài đăng trong tháng không được trả nhuận bút</h2>
<table><thead>
<tr><th>STT</th><th>Tiêu đề</th><th>Tệp</th><th>Ngày đăng</th><th>Lý do</th></tr></thead>
<tbody>
{% for u in s.unpaid %}<tr><td class="num">{{ loop.index }}</td><td>{{ u.title }}</td>
<td>{{ u.path }}</td><td>{{ u.published | when }}</td><td>{{ u.reason }}</td></tr>
{% endfor %}</tbody></table>
{% endif %}
<div class="bases">{% for text in legal_bases %}<p>{{ text }}</p>{% endfor %}</div>
<p class="place-date">{{ place_and_date }}</p>
<div class="signatures">
{% for role, label in sign_titles %}  <div class="signature"><strong>{{ label }}</strong>
    <div class="hint">{{ sign_hint }}</div><div class="space"></div>
    <div class="name">{{ s.signers[role] }}</div></div>
{% endfor %}</div>
<p class="note">{{ source_note }}</p>
</body>
</html>
"""
)

TALLY_PAGE_HTML = """{% extends "base.html" %}
{% block title %}Thống kê tin bài theo tác giả — {{ SITENAME }}{% endblock %}
{% block head %}{{ super() }}<meta name="robots" content="noindex, nofollow">{% endblock %}
{% block content %}
<h1>Thống kê tin bài theo tác giả (nội bộ)</h1>
<p>Trang nội bộ cho Ban Biên tập: số tin bài đã đăng theo tháng và tác giả, tính từ lịch sử
nhánh {{ tally.ref }}. Số tiền nhuận bút chỉ có trong bảng kê của Thư ký (make royalties),
không bao giờ có trên Cổng.</p>
{% for month in tally.months %}
<h2>Tháng {{ month.label }}</h2>
<table>
<thead><tr><th scope="col">Tác giả</th><th scope="col">Đơn vị</th>
<th scope="col">Số tác phẩm</th><th scope="col">Tin bài</th></tr></thead>
<tbody>
{% for row in month.rows %}<tr><td>{{ row.name }}</td><td>{{ row.unit }}</td>
<td>{{ row.works }}</td><td>{{ row.titles | join("; ") }}</td></tr>
{% else %}<tr><td colspan="4">Không có tin bài nào.</td></tr>
{% endfor %}</tbody></table>
{% else %}<p>Chưa có tin bài nào trong lịch sử.</p>
{% endfor %}
{% endblock %}
"""
