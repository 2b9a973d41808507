"""`flask importar-catalogo`: the concept catalog's import from a file on disk (the same service as
the page and the API); prints the report in JSON, exits 1 when the file has errors."""

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..extensions import db
from ..models import Usuario


@click.command("importar-catalogo")
@click.option("--confirmar", is_flag=True, help="Actualizar el catálogo si no hay errores.")
@click.option("--usuario", default=None, help="Usuario al que se atribuyen los cambios.")
@click.argument("archivo", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def importar_catalogo(confirmar, usuario, archivo):
    """Revisa (o con --confirmar aplica) el catálogo de conceptos del contrato; imprime el reporte."""
    from .commands import import_catalog

    actor = None
    if usuario:
        actor = db.session.scalar(select(Usuario).where(Usuario.username == usuario))
        if actor is None:
            raise click.ClickException(f"No existe el usuario {usuario}.")
    with archivo.open("rb") as fh:
        report = import_catalog(FileStorage(stream=fh, filename=archivo.name), confirmar, actor)
    click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    click.echo(report.detalles, err=True)
    sys.exit(0 if report.ok else 1)
