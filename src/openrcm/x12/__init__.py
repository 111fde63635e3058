"""openrcm.x12 — see docs.md in this folder."""
