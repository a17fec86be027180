"""The secretary's reports (Điều 13.3): items published per unit, section, kind and author,
and each unit's weekly quota (Điều 9.3c, Điều 20)."""
