"""Cổng TTĐT Sở Nội vụ Hà Tĩnh: the regulation (Quy chế 27/QĐ-SNV) made executable.

The floors, lowest first (docs/architecture.md draws them; `make lint` enforces them):
the ground floor (`project`, `git`, `dates`, `yamlfile`, `schema`, `errors`, `files`,
`roster`); the domains `vntext`, `content`, `review`, `royalties`, `reports`; `checks`,
which composes every rule a submission passes; the adapters `site` (Pelican), `desk`
(Decap CMS at /admin/), `intake` (mail and Word), `publishing`; and at the top the
`portal` command (`cli`) and Pelican's entry point (`portal.pelican`).
"""
