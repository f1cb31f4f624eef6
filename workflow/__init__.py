"""Offline French→English translation-and-publishing workflow."""

__version__ = "0.1.0"
