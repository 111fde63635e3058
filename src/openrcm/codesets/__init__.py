"""openrcm.codesets — see docs.md in this folder."""
