"""The OT page's Anexos tab and its upload dialog (htmx). The same service as the API."""

import json

from flask import make_response, render_template, request
from flask_login import current_user

from .. import files
from ..auth.security import requires_role
from ..errors import fail
from ..fields import parse_id, parse_whole
from ..models import TipoAnexo
from ..service_errors import ServiceError
from ..views import action_error
from . import bp, commands, jobs, read
from .kinds import KINDS


@bp.get("/<int:ot_id>/anexos")
def pestana(ot_id: int):
    """The tab's content: per kind, the current revision (its chapters collapsed, with their
    totals; a chapter's lines load when it is opened), the history, the totals beside the OT's
    amounts and the comparison with the previous revision."""
    kinds = []
    for tipo, kind in KINDS.items():
        grid = tipo == TipoAnexo.SABANA  # 4,757 lines × 31 days: paged, never drawn whole
        datos = read.annex(ot_id, tipo, None, with_lines=False)
        diff = (
            read.differences(ot_id, tipo, None, None) if datos["revision"] and datos["revision"] > 1 else None
        )
        kinds.append(
            {
                "tipo": tipo,
                "titulo": kind.titulo,
                "datos": datos,
                "diff": diff,
                "capitulos": [] if grid else read.chapters(ot_id, tipo, datos["revision"]),
                "grid": read.sabana_grid(ot_id, None, 1, None) if grid and datos["revision"] else None,
            }
        )
    ot = commands.get_ot(ot_id)
    response = make_response(render_template("annexes/_contenido.html", ot=ot, kinds=kinds))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.get("/<int:ot_id>/anexos/capitulo")
def capitulo(ot_id: int):
    """A chapter's lines, loaded when the tab's chapter is opened: the first page as its table,
    a next page (`page` > 1, "Mostrar más") as rows appended to it."""
    found = read.chapter_lines(
        ot_id,
        request.args.get("tipo"),
        _revision_arg(),
        (request.args.get("capitulo") or "")[:60],
        _page_arg(),
    )
    template = "annexes/_capitulo.html" if found["page"] == 1 else "annexes/_capitulo_filas.html"
    response = make_response(render_template(template, ot_id=ot_id, c=found))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.get("/<int:ot_id>/anexos/sabana")
def sabana(ot_id: int):
    """One page of the sábana grid (lines × days, weeks folded unless in `abiertas`)."""
    grid = read.sabana_grid(
        ot_id, _revision_arg(), _page_arg(), set(request.args.get("abiertas", "").split(","))
    )
    response = make_response(render_template("annexes/_sabana.html", ot_id=ot_id, g=grid))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.get("/<int:ot_id>/anexos/buscar")
def buscar(ot_id: int):
    """Active search in the current revision of one annex (the tab's search box)."""
    found = read.search_lines(ot_id, request.args.get("tipo"), (request.args.get("q") or "")[:200])
    response = make_response(render_template("annexes/_busqueda.html", b=found))
    response.headers["Vary"] = "HX-Request"
    return response


def _page_arg() -> int:
    raw = request.args.get("page", "").strip()
    try:
        return parse_whole(raw, 1_000_000) if raw else 1
    except ValueError:
        fail(400, "El parámetro page debe ser un entero entre 1 y 1,000,000.")


def _revision_arg() -> int | None:
    raw = request.args.get("revision", "").strip()
    try:
        return parse_id(raw) if raw else None
    except ValueError:
        fail(400, "El parámetro revision no es un número de revisión válido.")


@bp.post("/<int:ot_id>/anexos/importar")
@files.accepts_upload(commands.MAX_BODY)
@requires_role("editor")
def importar(ot_id: int):
    """Dry run or confirm from the upload dialog: the report, or (a large file) its progress,
    which polls `trabajo` until the report is ready."""
    try:
        progreso = jobs.submit(
            ot_id,
            request.form.get("tipo"),
            request.files.get("archivo"),
            request.form.get("confirmar") == "1",
            current_user,
        )
    except ServiceError as err:
        return action_error(err)
    return _job_response(ot_id, progreso, 202)


@bp.get("/<int:ot_id>/anexos/trabajo/<token>")
def trabajo(ot_id: int, token: str):
    """A job's progress, polled by the upload dialog; only the user who started it reads it (404
    for anyone else), and its report only once."""
    try:
        progreso = jobs.poll(ot_id, token[:64], current_user)
    except ServiceError as err:
        return action_error(err)
    return _job_response(ot_id, progreso, 200)


# The forms a report's "Confirmar" may submit again: the annex dialog's, or the program import
# dialog's workbook (schedules/_importar_programa.html), which posts the `programa` kind here.
FORMS = ("anexo-form", "programa-libro-form")


def _form_id() -> str:
    value = request.values.get("form_id", "")
    return value if value in FORMS else FORMS[0]


def _job_response(ot_id: int, progreso: jobs.Progreso, running_status: int):
    form_id = _form_id()
    if progreso.running:
        response = make_response(
            render_template("annexes/_trabajo.html", t=progreso, ot_id=ot_id, form_id=form_id), running_status
        )
    elif progreso.resultado is None:  # failed or interrupted: say so where the report would be
        response = make_response(
            render_template("annexes/_trabajo.html", t=progreso, ot_id=ot_id, form_id=form_id), 409
        )
    else:
        result = progreso.resultado
        response = make_response(
            render_template(
                "annexes/_reporte.html", **{k: result[k] for k in ("r", "report", "vista")}, form_id=form_id
            ),
            result["status"],
        )
        if result["report"]["confirmado"]:
            response.headers["HX-Trigger"] = json.dumps(
                {
                    "anexos-actualizados": True,
                    "programa-actualizado": result["r"]["tipo"] == "programa",
                    "toast": {"message": result["report"]["detalles"], "kind": "exito"},
                }
            )
    response.headers["Vary"] = "HX-Request"
    return response
