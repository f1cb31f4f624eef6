"""Domain errors. The CLI turns each into one message; the core never prints."""

from __future__ import annotations

from pathlib import Path


class WorkflowError(Exception):
    """Base class: anything the user can fix, reported without a traceback."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class SourceError(WorkflowError):
    """A source article cannot be read or parsed (empty, not UTF-8, unreadable)."""


class NoArticlesError(WorkflowError):
    """A path given for translation holds no article files."""


class CatalogError(WorkflowError):
    """An existing PO file cannot be read or merged."""


class EngineError(WorkflowError):
    """A translation engine is missing, misconfigured or failed."""


class ModelError(EngineError):
    """An MT model package cannot be found, downloaded or installed."""


class GlossaryError(WorkflowError):
    """A glossary file cannot be read, or holds an entry that cannot be used (named by file and line)."""


class ConfigError(WorkflowError):
    """The project's workflow.toml cannot be read, or a setting in it is invalid."""


class PairLanguageError(SourceError):
    """A bilingual pair whose files are not French then English (swapped, or another language)."""
