"""Shared infrastructure every stage may use: domain errors, atomic file writes and locks, the SQLite store."""
