"""openrcm.web — see docs.md in this folder."""
