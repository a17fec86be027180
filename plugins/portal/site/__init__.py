"""The site: Pelican adapter (reader, template context, filters) and search."""
