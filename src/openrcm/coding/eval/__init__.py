"""Evaluation of the coding pipeline on the CodiEsp corpus (metrics, data, harness)."""
