"""openrcm.security — see docs.md in this folder."""
