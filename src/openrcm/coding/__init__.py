"""openrcm.coding — see docs.md in this folder."""
