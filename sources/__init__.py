"""Fetch official statements and press coverage, extract their main text, normalize it."""
