"""openrcm.claims — see docs.md in this folder."""
