"""SOURCE_DATE_EPOCH (reproducible-builds.org): the one reader every dated output shares."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime

from workflow.base.errors import WorkflowError

VARIABLE = "SOURCE_DATE_EPOCH"


def source_date_epoch(environ: Mapping[str, str] | None = None) -> datetime | None:
    """The moment SOURCE_DATE_EPOCH names (UTC), or None when it is unset or empty.

    Raises WorkflowError for anything that is not a whole number of seconds a date can
    hold (years 1 to 9999): a typo must not turn into a traceback or a silent wrong date."""
    environ = os.environ if environ is None else environ
    value = environ.get(VARIABLE, "").strip()
    if not value:
        return None
    try:
        seconds = int(value)
    except ValueError:
        problem = "is not a whole number of seconds"
    else:
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (ValueError, OverflowError, OSError):
            problem = "is out of range for a date"
    raise WorkflowError(f"{VARIABLE}={value!r} {problem} (give a Unix time, as printed by `date +%s`)")
