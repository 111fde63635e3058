"""openrcm.services — see docs.md in this folder."""
