"""The pipeline's own commands: segment French text, translate articles into PO catalogs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from workflow.base.errors import WorkflowError
from workflow.cli.common import (
    ToOption,
    app,
    chosen_target,
    load_project_glossary,
    memory_path,
    print_error,
    progress_bar,
    reports_errors,
    show_warnings,
)


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

    show_warnings(quiet)
    try:
        policy = ReusePolicy(reuse)
    except ValueError:
        raise WorkflowError(f"unknown --reuse policy {reuse!r} (trust-exact or review-exact)") from None
    language = target_language(chosen_target(to))
    terms = None if no_glossary else load_project_glossary(glossary)
    mt = create_engine(engine, target=language.base, device=device)
    with progress_bar(enabled=not quiet and not as_json) as on_progress:
        report = translate_articles(
            paths or [], target=language.code, engine=mt, out_dir=out, refresh_mt=refresh_mt,
            cache_path=None if no_cache else cache, glossary=terms, on_progress=on_progress,
            memory_path=None if no_memory else (memory or memory_path(language.code)), reuse_policy=policy,
            raw_mt=raw_mt,
        )
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    for error in report.errors:
        print_error(str(error))
    if not as_json and not quiet:
        for line in report.lines(mt.name):
            typer.echo(line)
    if not report.ok:
        raise typer.Exit(1)
