"""What every command shares: the app, the one place errors become messages, warnings, progress, options."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from workflow import __version__
from workflow.base.errors import WorkflowError

app = typer.Typer(
    help="Offline French→English translation and publishing for newsrooms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])
ToOption = Annotated[str | None, typer.Option("--to", help="Target language, e.g. en or en_GB (default: [project] target in workflow.toml, else en).")]


def print_error(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


def reports_errors(command: F) -> F:
    """The one place where domain errors become a message and an exit status."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except WorkflowError as error:
            print_error(str(error))
            raise typer.Exit(2) from None
        except OSError as error:  # the machine said no (disk full, permissions): still one message
            where = f"{error.filename}: " if error.filename else ""
            print_error(f"{where}{error.strerror or error}")
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"workflow {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """Offline French→English translation and publishing for newsrooms."""
    show_warnings(quiet=False)


def write_output(data: bytes, output: Path | None, what: str) -> None:
    """Exports go to stdout for pipes, or atomically to a file."""
    from workflow.base.fsutil import atomic_write_bytes

    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write_bytes(output, data)
        typer.echo(f"wrote {what} to {output}", err=True)


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is at the time (test runners swap it), each distinct
    warning once per command however many entries or files raise it."""

    seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.seen:
            self.seen.add(message)
            sys.stderr.write(f"warning: {message}\n")


def show_warnings(quiet: bool) -> None:
    """Core modules warn through logging; show those warnings on stderr."""
    logger = logging.getLogger("workflow")
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        logger.addHandler(_StderrHandler())
        logger.propagate = False
    _StderrHandler.seen = set()
    logger.setLevel(logging.ERROR if quiet else logging.WARNING)


class _TerminalBar:
    """A rich progress display on a terminal only: scripts and pipes get nothing."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None

    def _start(self, *columns: Any) -> Any:
        from rich.progress import Progress

        self.bar = Progress(*columns, transient=True)
        self.bar.start()
        return self.bar

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


class progress_bar(_TerminalBar):
    """Translation progress: segments done and words per second."""

    def __enter__(self) -> Callable[[list[str], int], None] | None:
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

        bar = self._start(
            TextColumn("translating"), BarColumn(), MofNCompleteColumn(), TextColumn("segments"),
            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
        )
        task = bar.add_task("mt", total=None, rate="")
        words = 0

        def advance(chunk: list[str], total: int) -> None:
            nonlocal words
            bar.update(task, total=total)
            words += sum(len(s.split()) for s in chunk)
            elapsed = bar.tasks[0].elapsed or 0
            rate = f"{words / elapsed:,.0f} words/s" if elapsed else ""
            bar.update(task, advance=len(chunk), rate=rate)

        return advance


class steps_progress(_TerminalBar):
    """Long archive work (reading, mining): one bar per named step."""

    def __enter__(self) -> Callable[[int, int, str], None] | None:
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

        bar = self._start(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        tasks: dict[str, Any] = {}

        def advance(done: int, total: int, what: str) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)

        return advance


GlossaryOption = Annotated[Path | None, typer.Option("--glossary", help="Glossary CSV file or folder (default: glossary/).")]


def glossary_location(path: Path | None) -> Path | None:
    """The project's own glossary/ folder wins over the one shipped with the package."""
    if path is not None:
        return path
    local = Path("glossary")
    return local if local.is_dir() and (any(local.glob("*.csv")) or (local / "layers.toml").is_file()) else None


def load_project_glossary(path: Path | None) -> Any:
    from workflow.terms.glossary import load_glossary

    return load_glossary(glossary_location(path))


def entry_checkers(glossary: Path | None, no_glossary: bool) -> list[Any]:
    if no_glossary:
        return []
    from workflow.qa.glossary import glossary_checker

    return [glossary_checker(load_project_glossary(glossary))]


MemoryOption = Annotated[Path | None, typer.Option("--memory", help="Memory file (default: .cache/workflow/memory-<lang>.sqlite).")]


def chosen_target(to: str | None) -> str:
    """--to, else workflow.toml's [project] target, else en."""
    from workflow.review.locale import project_target

    return project_target(to)


def memory_path(target: str) -> Path:
    return Path(".cache/workflow") / f"memory-{target}.sqlite"
