"""openrcm: medical coding and billing, from clinical note to paid claim."""

__version__ = "0.1.0"
