"""Checking, progress and publishing: `workflow check`, `status`, `publish`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from workflow.base.errors import WorkflowError
from workflow.cli.common import (
    GlossaryOption,
    ToOption,
    app,
    chosen_target,
    entry_checkers,
    load_project_glossary,
    memory_path,
    print_error,
    reports_errors,
    steps_progress,
)


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
    tm = None if no_memory or not consistency else open_memory(memory or memory_path("en"))
    if memory is not None and tm is None and not no_memory:
        raise WorkflowError("translation memory not found", memory)
    archive_checks = []
    with steps_progress(enabled=not as_json) as on_progress:
        if consistency:
            terms = None if no_glossary else load_project_glossary(glossary)
            archive_checks.append(ConsistencyChecks(tm, terms, on_progress=on_progress))
        try:
            report = check_paths(paths or [], extra_checkers=entry_checkers(glossary, no_glossary),
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

    report = project_status(paths or [], checker=entry_checker(entry_checkers(None, False), qa_settings()))
    if as_json:
        typer.echo(json.dumps(to_json(report), ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        console = Console()
        console.print(render_table(report, width=console.width))
    for failure in report.failures:
        print_error(str(failure))
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
    from workflow.publish.publisher import (
        blockers_from_findings,
        format_report,
        normalize_formats,
        publish_articles,
    )
    from workflow.qa.checks import check_catalog
    from workflow.qa.settings import qa_settings

    checkers = entry_checkers(glossary, False)
    settings = qa_settings()
    report = publish_articles(
        articles or [], target=chosen_target(to), out_dir=out, formats=normalize_formats(format or ["txt"]), draft=draft,
        check=lambda path: blockers_from_findings(f for f in check_catalog(path, checkers, settings) if f.counts),
    )
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        for error in report.path_errors:
            print_error(str(error))
        for line in format_report(report):
            typer.echo(line)
    raise typer.Exit(report.exit_code)
