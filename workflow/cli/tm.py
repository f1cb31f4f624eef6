"""`workflow tm …`: the translation memory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from workflow.base.errors import WorkflowError
from workflow.cli.common import (
    MemoryOption,
    ToOption,
    app,
    chosen_target,
    memory_path,
    print_error,
    reports_errors,
    show_warnings,
    write_output,
)

tm_app = typer.Typer(help="Translation memory: reuse reviewed and published translations.", no_args_is_help=True)
app.add_typer(tm_app, name="tm")


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

    with TranslationMemory(memory or memory_path(chosen_target(None))) as tm:
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
    from workflow.review.memory import TranslationMemory
    from workflow.review.pofile import po_files

    to = chosen_target(to)
    files, missing = po_files(paths or [Path("translations") / to])
    with TranslationMemory(memory or memory_path(to)) as tm:
        reread = tm.refresh_from_catalogs(files)
        total = len(tm)
        errors = missing + list(tm.errors)
    for error in errors:
        print_error(str(error))
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
    show_warnings(False)  # units left out are named
    language = target_language(chosen_target(to))
    with TranslationMemory(memory or memory_path(language.code)) as tm:
        units = list(tm.export_units())
    data = export_tmx(units, source_lang="fr", target_lang=language.bcp47)
    write_output(data, output, f"{len(units)} unit(s)")


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

    with TranslationMemory(memory or memory_path(chosen_target(to))) as tm:
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

    with TranslationMemory(memory or memory_path(chosen_target(to))) as tm:
        removed = forget_import(tm, origin)
    for o in removed:
        typer.echo(f"forgot {o.units} unit(s) imported from {o.origin}")
