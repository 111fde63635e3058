"""openrcm.ledger — see docs.md in this folder."""
