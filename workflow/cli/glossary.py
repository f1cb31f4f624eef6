"""`workflow glossary …`: the house glossary and termbase layers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from workflow.base.errors import WorkflowError
from workflow.cli.common import (
    GlossaryOption,
    app,
    glossary_location,
    load_project_glossary,
    memory_path,
    print_error,
    reports_errors,
    steps_progress,
    write_output,
)

glossary_app = typer.Typer(help="Terminology: scan, validate, export and import the glossary.", no_args_is_help=True)
app.add_typer(glossary_app, name="glossary")


@glossary_app.command("scan")
@reports_errors
def glossary_scan(
    file: Annotated[Path, typer.Argument(help="French article or text file.")],
    glossary: GlossaryOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print [{id, start, end, text, fr, en}] with character offsets.")] = False,
) -> None:
    """Find glossary terms in a French file."""
    from workflow.terms.glossary import scan_file

    found = scan_file(file, load_project_glossary(glossary))
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

    problems = validate(glossary_location(path))
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

    terms = layer_glossary(load_project_glossary(glossary), layer)
    write_output(export_glossary(terms, format, tbx_version=tbx_version), output, f"{len(terms)} entries")


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
    rows = load_project_glossary(glossary).layer_summary()
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

    tm_path = None if no_memory else (memory or memory_path("en"))
    if memory is not None and not no_memory and not memory.is_file():
        raise WorkflowError("translation memory not found", memory)
    terms = None if no_glossary else load_project_glossary(glossary)
    with steps_progress(enabled=not as_json) as on_progress:
        pairs, failures = archive_pairs(paths or [Path("translations")], tm_path, on_progress)
        suggestions = suggest_terms(pairs, terms, limit=limit, on_progress=on_progress)
    for failure in failures:
        print_error(str(failure))
    if as_json:
        typer.echo(json.dumps(suggestions_json(suggestions, terms), ensure_ascii=False, indent=2))
    else:
        write_output(suggestions_csv(suggestions, terms).encode("utf-8"), output, f"{len(suggestions)} suggestion(s)")
    conflicts = sum(1 for s in suggestions if s.status == "conflict")
    typer.echo(f"{len(suggestions)} suggestion(s) from {len(pairs)} reviewed pair(s), {conflicts} in conflict with the glossary", err=True)
    if failures:
        raise typer.Exit(1)
