"""Royalties (nhuận bút, Điều 18): rates, the history of items on main, the month's statement."""
