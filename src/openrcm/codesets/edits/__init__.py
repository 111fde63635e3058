"""Claim-scrubber edit tables: NCCI PTP, MUE, add-on codes, and the Medicare Code Editor lists.

Loaders: ``store.load_ptp``, ``store.load_mue``, ``store.load_aoc`` (and ``mce.load_mce``).
See ../docs.md for the public API.
"""
