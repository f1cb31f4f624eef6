"""Command line: parse options, call the core, print. No logic lives here.

One module per command group; importing them registers their commands on `app`.
"""

from workflow.cli import glossary, models, pipeline, review, tm  # noqa: F401  (registers the commands)
from workflow.cli.common import app

__all__ = ["app"]
