"""openrcm.store — see docs.md in this folder."""
