"""Command line: parse options, call the core, print. No logic lives here.

Longer than 600 lines: one flat list of thin commands sharing a few option helpers; each
command reads on its own.
"""

from __future__ import annotations

import json
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


def _error(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


def reports_errors(command: F) -> F:
    """The one place where domain errors become a message and an exit status."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except WorkflowError as error:
            _error(str(error))
            raise typer.Exit(2) from None
        except OSError as error:  # the machine said no (disk full, permissions): still one message
            where = f"{error.filename}: " if error.filename else ""
            _error(f"{where}{error.strerror or error}")
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
    _show_warnings(quiet=False)


@app.command()
@reports_errors
def segment(
    file: Annotated[Path | None, typer.Argument(help="Article or text file ('-' for stdin).")] = None,
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help="Read JSON lines with a \"text\" key; write them back with \"sentences\" added.")] = None,
) -> None:
    """Split French text into sentences: one per line, or JSON lines with --jsonl."""
    from workflow.source.article import parse_article, read_source_text
    from workflow.source.segment import segment_jsonl_records, sentences

    if jsonl is not None:
        records = _read_jsonl(jsonl)
        for record in segment_jsonl_records(records):
            typer.echo(json.dumps(record, ensure_ascii=False))
        return
    if file is None:
        raise WorkflowError("give a FILE to segment, or --jsonl FILE")
    if str(file) == "-":
        text = sys.stdin.read()
        path = Path("<stdin>")
        if not text.strip():
            raise WorkflowError("no text on standard input")
    else:
        text = read_source_text(file)
        path = file
    for block in parse_article(text, path).blocks:
        for sentence in sentences(block.text):
            typer.echo(sentence)


def _write_output(data: bytes, output: Path | None, what: str) -> None:
    """Exports go to stdout for pipes, or atomically to a file."""
    from workflow.base.fsutil import atomic_write_bytes

    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write_bytes(output, data)
        typer.echo(f"wrote {what} to {output}", err=True)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    from workflow.source.article import read_source_text

    records = []
    for number, line in enumerate(read_source_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise WorkflowError(f"invalid JSON: {error.msg}", path, number) from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise WorkflowError('each line must be a JSON object with a "text" string', path, number)
        records.append(record)
    return records


@app.command()
@reports_errors
def translate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Article files or directories (default: source_fr/).")] = None,
    to: ToOption = None,
    engine: Annotated[str, typer.Option("--engine", help="MT engine: auto (argos, else apertium, else none), argos, apertium, none.")] = "auto",
    device: Annotated[str, typer.Option("--device", help="Where Argos runs: cpu, cuda or auto.")] = "cpu",
    out: Annotated[Path, typer.Option("--out", help="Folder for <lang>/<slug>.po catalogs.")] = Path("translations"),
    cache: Annotated[Path, typer.Option("--cache", help="SQLite cache of machine translations.")] = Path(".cache/workflow/mt-cache.sqlite"),
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Translate everything again, without the cache.")] = False,
    glossary: Annotated[Path | None, typer.Option("--glossary", help="Glossary CSV file or folder (default: glossary/).")] = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Do not apply the terminology glossary.")] = False,
    raw_mt: Annotated[bool, typer.Option("--raw-mt", help="Keep the engine's output as it comes: no protected names and numbers, post-editing or repair (to compare engines).")] = False,
    memory: Annotated[Path | None, typer.Option("--memory", help="Translation memory (default: .cache/workflow/memory-<lang>.sqlite).")] = None,
    no_memory: Annotated[bool, typer.Option("--no-memory", help="Do not reuse reviewed translations from the memory.")] = False,
    reuse: Annotated[str, typer.Option("--reuse", help="Exact memory matches: trust-exact (reviewed, identical → translated) or review-exact (always fuzzy).")] = "trust-exact",
    refresh_mt: Annotated[bool, typer.Option("--refresh-mt", help="Also re-translate machine drafts nobody has edited or reviewed, with the current engine.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON report for scripts.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    """Write one PO catalog per article under translations/<lang>/, and its template under translations/templates/."""
    from workflow.mt.engines import create_engine
    from workflow.review.locale import target_language
    from workflow.review.memory import ReusePolicy
    from workflow.translate import translate_articles

    _show_warnings(quiet)
    try:
        policy = ReusePolicy(reuse)
    except ValueError:
        raise WorkflowError(f"unknown --reuse policy {reuse!r} (trust-exact or review-exact)") from None
    language = target_language(_target(to))
    terms = None if no_glossary else _load_glossary(glossary)
    mt = create_engine(engine, target=language.base, device=device)
    with _progress(enabled=not quiet and not as_json) as on_progress:
        report = translate_articles(
            paths or [], target=language.code, engine=mt, out_dir=out, refresh_mt=refresh_mt,
            cache_path=None if no_cache else cache, glossary=terms, on_progress=on_progress,
            memory_path=None if no_memory else (memory or _memory_path(language.code)), reuse_policy=policy,
            raw_mt=raw_mt,
        )
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    for error in report.errors:
        _error(str(error))
    if not as_json and not quiet:
        for line in report.lines(mt.name):
            typer.echo(line)
    if not report.ok:
        raise typer.Exit(1)


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is at the time (test runners swap it), each distinct
    warning once per command however many entries or files raise it."""

    seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.seen:
            self.seen.add(message)
            sys.stderr.write(f"warning: {message}\n")


def _show_warnings(quiet: bool) -> None:
    """Core modules warn through logging; show those warnings on stderr."""
    logger = logging.getLogger("workflow")
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        logger.addHandler(_StderrHandler())
        logger.propagate = False
    _StderrHandler.seen = set()
    logger.setLevel(logging.ERROR if quiet else logging.WARNING)


class _progress:
    """A rich progress bar (segments, words/s) on a terminal; nothing otherwise."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None

    def __enter__(self) -> Callable[[list[str], int], None] | None:
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("translating"), BarColumn(), MofNCompleteColumn(), TextColumn("segments"),
            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), transient=True,
        )
        self.bar.start()
        task = self.bar.add_task("mt", total=None, rate="")
        words = 0

        def advance(chunk: list[str], total: int) -> None:
            nonlocal words
            self.bar.update(task, total=total)
            words += sum(len(s.split()) for s in chunk)
            elapsed = self.bar.tasks[0].elapsed or 0
            rate = f"{words / elapsed:,.0f} words/s" if elapsed else ""
            self.bar.update(task, advance=len(chunk), rate=rate)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


models_app = typer.Typer(help="Manage offline MT model packages (Argos Translate).", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
@reports_errors
def models_list(
    available: Annotated[bool, typer.Option("--available", help="Also list packages offered by the Argos index (needs network).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List installed model packages (and, with --available, the index's)."""
    from workflow.mt.engines.apertium import apertium_available
    from workflow.mt.models import available_packages, installed_packages

    installed = installed_packages()
    offered = available_packages(refresh=True) if available else []
    if as_json:
        typer.echo(json.dumps({
            "installed": [_model_json(m) for m in installed],
            "available": [_model_json(m) for m in offered],
            "apertium": apertium_available(),
        }, ensure_ascii=False, indent=2))
        return
    if not installed:
        typer.echo("no Argos model package installed (install one with `workflow models install --file PATH.argosmodel`)")
    for model in installed:
        typer.echo(f"installed  {model.pair}  {model.describe()}")
    for model in offered:
        typer.echo(f"available  {model.pair}  {model.name} {model.package_version}")
    typer.echo(f"apertium   fr→en (via es)  {'installed' if apertium_available() else 'not installed'}")


@models_app.command("install")
@reports_errors
def models_install(
    from_code: Annotated[str | None, typer.Argument(help="Source language code, e.g. fr.")] = None,
    to_code: Annotated[str | None, typer.Argument(help="Target language code, e.g. en.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Install a downloaded .argosmodel file (works offline).")] = None,
    max_download_mb: Annotated[float, typer.Option("--max-download-mb", help="Refuse a download larger than this.")] = 4000,
    max_unpacked_mb: Annotated[float, typer.Option("--max-unpacked-mb", help="Refuse an archive that unpacks to more than this.")] = 8000,
    max_files: Annotated[int, typer.Option("--max-files", help="Refuse an archive holding more files than this.")] = 10_000,
    deadline: Annotated[float, typer.Option("--deadline", help="Give up a download after this many seconds in all.")] = 3600,
) -> None:
    """Install a model from the Argos index (`fr en`) or from a local file (`--file`)."""
    from workflow.mt.models import MB, InstallLimits, install_from_file, install_from_index

    limits = InstallLimits(
        max_download_bytes=int(max_download_mb * MB), max_unpacked_bytes=int(max_unpacked_mb * MB),
        max_members=max_files, deadline_seconds=deadline,
    )
    if file is not None:
        if from_code or to_code:
            raise WorkflowError("give either FROM TO (download from the index) or --file PATH, not both")
        model = install_from_file(file, limits=limits)
    elif from_code and to_code:
        model = install_from_index(from_code, to_code, limits=limits)
    else:
        raise WorkflowError("give FROM TO (e.g. `workflow models install fr en`) or --file PATH.argosmodel")
    typer.echo(f"installed {model.pair}: {model.describe()}")


def _model_json(model: Any) -> dict[str, Any]:
    return {
        "from": model.from_code, "to": model.to_code, "name": model.name,
        "version": model.package_version, "path": str(model.path) if model.path else None,
    }


glossary_app = typer.Typer(help="Terminology: scan, validate, export and import the glossary.", no_args_is_help=True)
app.add_typer(glossary_app, name="glossary")

GlossaryOption = Annotated[Path | None, typer.Option("--glossary", help="Glossary CSV file or folder (default: glossary/).")]


def _glossary_location(path: Path | None) -> Path | None:
    """The project's own glossary/ folder wins over the one shipped with the package."""
    if path is not None:
        return path
    local = Path("glossary")
    return local if local.is_dir() and (any(local.glob("*.csv")) or (local / "layers.toml").is_file()) else None


def _load_glossary(path: Path | None) -> Any:
    from workflow.terms.glossary import load_glossary

    return load_glossary(_glossary_location(path))


@glossary_app.command("scan")
@reports_errors
def glossary_scan(
    file: Annotated[Path, typer.Argument(help="French article or text file.")],
    glossary: GlossaryOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print [{id, start, end, text, fr, en}] with character offsets.")] = False,
) -> None:
    """Find glossary terms in a French file."""
    from workflow.terms.glossary import scan_file

    found = scan_file(file, _load_glossary(glossary))
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    text = file.read_text(encoding="utf-8")
    for match in found:
        line = text.count("\n", 0, match["start"]) + 1
        column = match["start"] - (text.rfind("\n", 0, match["start"]) + 1) + 1
        typer.echo(f"{file}:{line}:{column}: {match['text']} → {match['en']} [{match['id']}]")


@glossary_app.command("validate")
@reports_errors
def glossary_validate(
    path: Annotated[Path | None, typer.Argument(help="Glossary CSV file or folder (default: glossary/).")] = None,
) -> None:
    """Report duplicate, conflicting or malformed entries with their line numbers."""
    from workflow.terms.glossary import validate

    problems = validate(_glossary_location(path))
    for problem in problems:
        typer.echo(str(problem))
    errors = sum(1 for p in problems if p.severity == "error")
    typer.echo(f"{errors} error(s), {len(problems) - errors} warning(s)", err=True)
    if errors:
        raise typer.Exit(1)


@glossary_app.command("export")
@reports_errors
def glossary_export(
    format: Annotated[str, typer.Option("--format", help="tbx (TBX-Basic; v2 martif unless --tbx-version 3), csv (source,target,… for translate-toolkit/Weblate) or rich-csv (the glossary's own columns).")] = "tbx",
    tbx_version: Annotated[int, typer.Option("--tbx-version", help="2: TBX-Basic 2008 martif (OmegaT, Lokalize, translate-toolkit, Weblate); 3: ISO 30042:2019.")] = 2,
    layer: Annotated[str | None, typer.Option("--layer", help="Export this reference layer instead of the house glossary.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    glossary: GlossaryOption = None,
) -> None:
    """Export the glossary for Weblate, OmegaT, Lokalize, memoQ…"""
    from workflow.terms.export import export_glossary, layer_glossary

    terms = layer_glossary(_load_glossary(glossary), layer)
    _write_output(export_glossary(terms, format, tbx_version=tbx_version), output, f"{len(terms)} entries")


@glossary_app.command("import")
@reports_errors
def glossary_import(
    file: Annotated[Path, typer.Argument(help="A termbase or glossary: TBX (v2 martif or v3), CSV or TSV with recognised headers.")],
    name: Annotated[str | None, typer.Option("--name", help="Layer name (default: the file name).")] = None,
    priority: Annotated[int | None, typer.Option("--priority", help="Layer priority: higher wins between layers (default 50; the house glossary is always above).")] = None,
    enforce: Annotated[bool, typer.Option("--enforce", help="Carry this layer's terms into MT (default: hints and warnings only).")] = False,
    hint_common: Annotated[bool, typer.Option("--hint-common", help="Also hint single common words.")] = False,
    house: Annotated[bool, typer.Option("--house", help="Import into the house glossary (strict: any error stops) instead of as a reference layer.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="House glossary CSV to write (implies --house; default: glossary/<name>.csv).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing layer or CSV.")] = False,
    glossary: Annotated[Path | None, typer.Option("--glossary", help="Glossary folder (default: glossary/).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the import summary as JSON (every merged and skipped row).")] = False,
) -> None:
    """Import a termbase as a reference layer under the house glossary (or, with --house, into it)."""
    folder = glossary or Path("glossary")
    if house or output is not None:
        from workflow.base.fsutil import atomic_write_text
        from workflow.terms.glossary import entries_to_csv
        from workflow.terms.tbx import import_glossary
        imported = import_glossary(file)
        target = output or folder / f"{file.stem}.csv"
        if target.exists() and not force:
            raise WorkflowError("already exists (use --force to overwrite, or --output)", target)
        atomic_write_text(target, entries_to_csv(imported))
        typer.echo(f"imported {len(imported)} entries into {target}")
        return
    from workflow.terms.termbase import import_termbase

    report = import_termbase(file, folder, name=name, priority=priority, enforce=enforce, hint_common=hint_common,
                             replace_layer=force)
    typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2) if as_json else "\n".join(report.lines()))


@glossary_app.command("list")
@reports_errors
def glossary_list(glossary: GlossaryOption = None, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The glossary's layers, top first: the house glossary, then the reference layers by priority."""
    rows = _load_glossary(glossary).layer_summary()
    lines = [f"{'layer':<20} {'priority':>8} {'entries':>8} {'in MT':>8}  files"] + [
        f"{r['name']:<20} {r['priority']!s:>8} {r['entries']:>8} {r['enforced']:>8}  {', '.join(r['files'])}" for r in rows]
    typer.echo(json.dumps(rows, ensure_ascii=False, indent=2) if as_json else "\n".join(lines))


@glossary_app.command("suggest")
@reports_errors
def glossary_suggest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Reviewed PO files or folders (default: translations/).")] = None,
    memory: Annotated[Path | None, typer.Option("--memory", help="Translation memory (default: .cache/workflow/memory-en.sqlite if present).")] = None,
    no_memory: Annotated[bool, typer.Option("--no-memory", help="Mine the PO files only.")] = False,
    glossary: GlossaryOption = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Suggest every term, also those the glossary has.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many rows, most confident first.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="CSV to write (default: stdout).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the suggestions as JSON instead of CSV.")] = False,
) -> None:
    """Suggest glossary entries from reviewed PO entries and the memory: glossary CSV rows with status=proposed."""
    from workflow.review.archive import archive_pairs
    from workflow.review.suggest import suggest_terms, suggestions_csv, suggestions_json

    tm_path = None if no_memory else (memory or _memory_path("en"))
    if memory is not None and not no_memory and not memory.is_file():
        raise WorkflowError("translation memory not found", memory)
    terms = None if no_glossary else _load_glossary(glossary)
    with _steps(enabled=not as_json) as on_progress:
        pairs, failures = archive_pairs(paths or [Path("translations")], tm_path, on_progress)
        suggestions = suggest_terms(pairs, terms, limit=limit, on_progress=on_progress)
    for failure in failures:
        _error(str(failure))
    if as_json:
        typer.echo(json.dumps(suggestions_json(suggestions, terms), ensure_ascii=False, indent=2))
    else:
        _write_output(suggestions_csv(suggestions, terms).encode("utf-8"), output, f"{len(suggestions)} suggestion(s)")
    conflicts = sum(1 for s in suggestions if s.status == "conflict")
    typer.echo(f"{len(suggestions)} suggestion(s) from {len(pairs)} reviewed pair(s), {conflicts} in conflict with the glossary", err=True)
    if failures:
        raise typer.Exit(1)


class _steps:
    """A rich progress bar for long archive work (reading, mining), on a terminal only."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None

    def __enter__(self) -> Callable[[int, int, str], None] | None:
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True)
        self.bar.start()
        tasks: dict[str, Any] = {}

        def advance(done: int, total: int, what: str) -> None:
            if what not in tasks:
                tasks[what] = self.bar.add_task(what, total=total)
            self.bar.update(tasks[what], completed=done, total=total)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command()
@reports_errors
def check(
    paths: Annotated[list[Path] | None, typer.Argument(help="PO files or folders (default: translations/).")] = None,
    glossary: GlossaryOption = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Skip the terminology checks.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too, not only on errors.")] = False,
    everything: Annotated[bool, typer.Option("--all", help="Also list info findings and suppressed ones (qa-ignore, workflow.toml).")] = False,
    consistency: Annotated[bool, typer.Option("--consistency/--no-consistency", help="Compare translations across all checked files and the memory.")] = True,
    memory: Annotated[Path | None, typer.Option("--memory", help="Translation memory for the consistency checks (default: .cache/workflow/memory-en.sqlite if present).")] = None,
    no_memory: Annotated[bool, typer.Option("--no-memory", help="Leave the translation memory out of the consistency checks.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings as JSON.")] = False,
) -> None:
    """Check translations: `file:line: severity [check.id] message`, consistency across files too. Exit 1 on errors (--strict: on warnings too)."""
    from workflow.qa.checks import check_paths
    from workflow.qa.consistency import ConsistencyChecks
    from workflow.qa.settings import qa_settings
    from workflow.review.archive import open_memory

    settings = qa_settings()
    tm = None if no_memory or not consistency else open_memory(memory or _memory_path("en"))
    if memory is not None and tm is None and not no_memory:
        raise WorkflowError("translation memory not found", memory)
    archive_checks = []
    with _steps(enabled=not as_json) as on_progress:
        if consistency:
            terms = None if no_glossary else _load_glossary(glossary)
            archive_checks.append(ConsistencyChecks(tm, terms, on_progress=on_progress))
        try:
            report = check_paths(paths or [], extra_checkers=_entry_checkers(glossary, no_glossary),
                                 archive_checks=archive_checks, settings=settings)
        finally:
            if tm is not None:
                tm.close()
    if as_json:
        typer.echo(json.dumps(report.to_json(everything), ensure_ascii=False, indent=2))
    else:
        for line in report.lines(everything):
            typer.echo(line)
        typer.echo(report.summary(), err=True)
    raise typer.Exit(report.exit_code(strict))


def _entry_checkers(glossary: Path | None, no_glossary: bool) -> list[Any]:
    if no_glossary:
        return []
    from workflow.qa.glossary import glossary_checker

    return [glossary_checker(_load_glossary(glossary))]


@app.command()
@reports_errors
def status(
    paths: Annotated[list[Path] | None, typer.Argument(help="PO files or folders (default: translations/).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Progress per article and in total: translated / fuzzy / untranslated, open check errors and warnings."""
    from workflow.qa.checks import entry_checker
    from workflow.qa.settings import qa_settings
    from workflow.review.status import project_status, render_table, to_json

    report = project_status(paths or [], checker=entry_checker(_entry_checkers(None, False), qa_settings()))
    if as_json:
        typer.echo(json.dumps(to_json(report), ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        console = Console()
        console.print(render_table(report, width=console.width))
    for failure in report.failures:
        _error(str(failure))
    if report.failures:
        raise typer.Exit(1)


@app.command()
@reports_errors
def publish(
    articles: Annotated[list[Path] | None, typer.Argument(help="Source articles or folders (default: source_fr/).")] = None,
    to: ToOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: published/<lang>, drafts: published-drafts/<lang>).")] = None,
    format: Annotated[list[str] | None, typer.Option("--format", help="txt, md, html (repeat or comma-separate).")] = None,
    draft: Annotated[bool, typer.Option("--draft", help="Publish unreviewed work too, visibly marked, into the drafts folder.")] = False,
    glossary: GlossaryOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
) -> None:
    """Publish reviewed articles: only fully reviewed catalogs with no check error are written."""
    from workflow.qa.checks import check_catalog
    from workflow.qa.settings import qa_settings
    from workflow.publish.publisher import blockers_from_findings, format_report, normalize_formats, publish_articles

    checkers = _entry_checkers(glossary, False)
    settings = qa_settings()
    report = publish_articles(
        articles or [], target=_target(to), out_dir=out, formats=normalize_formats(format or ["txt"]), draft=draft,
        check=lambda path: blockers_from_findings(f for f in check_catalog(path, checkers, settings) if f.counts),
    )
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        for error in report.path_errors:
            _error(str(error))
        for line in format_report(report):
            typer.echo(line)
    raise typer.Exit(report.exit_code)


tm_app = typer.Typer(help="Translation memory: reuse reviewed and published translations.", no_args_is_help=True)
app.add_typer(tm_app, name="tm")

MemoryOption = Annotated[Path | None, typer.Option("--memory", help="Memory file (default: .cache/workflow/memory-<lang>.sqlite).")]


def _target(to: str | None) -> str:
    """--to, else workflow.toml's [project] target, else en."""
    from workflow.review.locale import project_target

    return project_target(to)


def _memory_path(target: str) -> Path:
    return Path(".cache/workflow") / f"memory-{target}.sqlite"


@tm_app.command("import-pair")
@reports_errors
def tm_import_pair(
    french: Annotated[Path, typer.Argument(help="The French article.")],
    english: Annotated[Path, typer.Argument(help="Its published English version.")],
    memory: MemoryOption = None,
    force: Annotated[bool, typer.Option("--force", help="Import even if the files do not read as French, then English.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the aligned pairs as JSON.")] = False,
) -> None:
    """Align a published bilingual article (blocks, then sentences, 1:2 and 2:1 allowed) into the memory."""
    from workflow.review.align import import_pair
    from workflow.review.memory import TranslationMemory

    with TranslationMemory(memory or _memory_path(_target(None))) as tm:
        result = import_pair(french, english, tm, check_languages=not force)
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{french} + {english}: {result.fr_sentences} French and {result.en_sentences} English sentences, "
        f"{result.aligned} aligned, {result.imported} imported, {result.low_score} below the confidence threshold"
    )


@tm_app.command("refresh")
@reports_errors
def tm_refresh(
    paths: Annotated[list[Path] | None, typer.Argument(help="PO files or folders (default: translations/<lang>/).")] = None,
    to: ToOption = None,
    memory: MemoryOption = None,
) -> None:
    """Re-read reviewed entries from PO files (translate does this itself before each run)."""
    from workflow.review.pofile import po_files
    from workflow.review.memory import TranslationMemory

    to = _target(to)
    files, missing = po_files(paths or [Path("translations") / to])
    with TranslationMemory(memory or _memory_path(to)) as tm:
        reread = tm.refresh_from_catalogs(files)
        total = len(tm)
        errors = missing + list(tm.errors)
    for error in errors:
        _error(str(error))
    typer.echo(f"{reread} catalog(s) re-read, {total} unit(s) in memory")
    if errors:
        raise typer.Exit(1)


@tm_app.command("export")
@reports_errors
def tm_export(
    format: Annotated[str, typer.Option("--format", help="tmx (TMX 1.4).")] = "tmx",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    to: ToOption = None,
    memory: MemoryOption = None,
) -> None:
    """Export the memory as TMX 1.4 for other CAT tools."""
    from workflow.review.locale import target_language
    from workflow.review.memory import TranslationMemory
    from workflow.review.tmx import export_tmx

    if format != "tmx":
        raise WorkflowError(f"unknown export format {format!r} (tmx)")
    _show_warnings(False)  # units left out are named
    language = target_language(_target(to))
    with TranslationMemory(memory or _memory_path(language.code)) as tm:
        units = list(tm.export_units())
    data = export_tmx(units, source_lang="fr", target_lang=language.bcp47)
    _write_output(data, output, f"{len(units)} unit(s)")


@tm_app.command("list")
@reports_errors
def tm_list(
    to: ToOption = None,
    memory: MemoryOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Where the memory's units come from: reviewed catalogs and imported pairs, with counts."""
    from workflow.review.memory import TranslationMemory
    from workflow.review.origins import memory_origins

    with TranslationMemory(memory or _memory_path(_target(to))) as tm:
        origins = memory_origins(tm)
    if as_json:
        typer.echo(json.dumps([o.to_json() for o in origins], ensure_ascii=False, indent=2))
        return
    for o in origins:
        typer.echo(f"{o.units:6d}  {o.kind.value:<6}  {o.origin}")
    typer.echo(f"{len(origins)} origin(s), {sum(o.units for o in origins)} unit(s)")


@tm_app.command("forget")
@reports_errors
def tm_forget(
    origin: Annotated[Path, typer.Option("--origin", help="A file given to `tm import-pair` (either side), or an origin as `tm list` shows it.")],
    to: ToOption = None,
    memory: MemoryOption = None,
) -> None:
    """Remove what one `tm import-pair` added to the memory."""
    from workflow.review.memory import TranslationMemory
    from workflow.review.origins import forget_import

    with TranslationMemory(memory or _memory_path(_target(to))) as tm:
        removed = forget_import(tm, origin)
    for o in removed:
        typer.echo(f"forgot {o.units} unit(s) imported from {o.origin}")
