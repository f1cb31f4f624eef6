"""`workflow models …`: offline MT model packages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from workflow.base.errors import WorkflowError
from workflow.cli.common import (
    app,
    reports_errors,
)

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
    from workflow.mt.models import (
        MB,
        InstallLimits,
        install_from_file,
        install_from_index,
    )

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
