"""`flask importar-anexo`: the same import as the page and the API, from a file on disk."""

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..extensions import db
from ..models import Usuario
from ..service_errors import ServiceError
from .kinds import KINDS


@click.command("importar-anexo")
@click.option("--ot", "ot_id", type=int, required=True, help="ID de la OT.")
@click.option("--tipo", type=click.Choice(sorted(KINDS)), required=True)
@click.option("--confirmar", is_flag=True, help="Guardar como nueva revisión si no hay errores.")
@click.option("--usuario", default=None, help="Usuario al que se atribuye la revisión.")
@click.argument("archivo", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def importar_anexo(ot_id, tipo, confirmar, usuario, archivo):
    """Revisa (o con --confirmar guarda) un anexo; imprime el reporte en JSON. Sale con 1 si hay errores."""
    from .commands import import_annex

    actor = None
    if usuario:
        actor = db.session.scalar(select(Usuario).where(Usuario.username == usuario))
        if actor is None:
            raise click.ClickException(f"No existe el usuario {usuario}.")
    try:
        with archivo.open("rb") as fh:
            report = import_annex(
                ot_id, tipo, FileStorage(stream=fh, filename=archivo.name), confirmar, actor
            )
    except ServiceError as err:
        raise click.ClickException(err.detalles) from None
    click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    click.echo(report.detalles, err=True)
    sys.exit(0 if report.ok else 1)
