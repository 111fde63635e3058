"""openrcm.payers — see docs.md in this folder."""
