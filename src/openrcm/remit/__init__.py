"""openrcm.remit — see docs.md in this folder."""
