"""The OT page's Programa tab and the program's keyboard grid (htmx). The same service as the API:
the grid posts its rows, forms.read_rows parses them, commands.save_program stores them."""

from __future__ import annotations

import re

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.security import requires_role
from ..errors import fail
from ..fields import parse_id
from ..service_errors import Conflict, ServiceError, ValidationFailed
from ..views import go, render
from . import commands, forms, read

bp = Blueprint("schedules", __name__, url_prefix="/ot")
_CELL = re.compile(r"^actividades-(\d{1,4})-([a-z_]+)$")


def _revision_arg(name: str = "revision") -> int | None:
    raw = request.args.get(name, "")
    if not raw.strip():
        return None
    try:
        return parse_id(raw)
    except ValueError:
        fail(400, f"El parámetro {name} no es un número de revisión válido.")


@bp.get("/<int:ot_id>/programa")
def pestana(ot_id: int):
    """The tab's content: the program at its current revision (or `revision`), phases with their
    totals, weights per currency, dates, profile and predecessors; its revisions; what changed
    against the revision before."""
    p = read.program(ot_id, _revision_arg())
    rev = p.revision
    diff = read.against(read.revision(ot_id, rev.n - 1), rev) if rev and rev.n > 1 else None
    response = make_response(
        render_template(
            "schedules/_programa.html",
            p=p,
            diff=diff,
            editable=_editable(p),
            vigente=p.revisiones[0].n if p.revisiones else None,
            perfiles=forms.PERFILES,
        )
    )
    response.headers["Vary"] = "HX-Request"
    return response


def _editable(p: read.Programa) -> bool:
    return current_user.puede("editor") and not p.congelado and not p.ot.eliminada


def _grid(
    p: read.Programa, filas: list[dict], status=200, errores=None, general=None, conflict=None, **extra
):
    return render(
        "schedules/programa_editar.html",
        "schedules/_programa_grid.html",
        status=status,
        p=p,
        ot=p.ot,
        filas=filas,
        errores=errores or {},
        general=general,
        conflict=conflict,
        revision=p.revision.n if p.revision else 0,
        campos=forms.CAMPOS,
        etiquetas=forms.ETIQUETAS,
        perfiles=forms.PERFILES,
        **extra,
    )


@bp.get("/<int:ot_id>/programa/editar")
@requires_role("editor")
def editar(ot_id: int):
    """The keyboard grid, filled with the current revision (or one empty phase and activity)."""
    p = read.program(ot_id)
    if not _editable(p):
        flash(commands.FROZEN if p.congelado else "La OT está eliminada: restáurela para editarla.", "error")
        return redirect(url_for("orders.detalle", ot_id=ot_id))
    filas = forms.rows_of(p.revision) if p.revision else _blank()
    return _grid(p, filas)


def _blank() -> list[dict]:
    return [{"nivel": "1", "nombre": ""}, {"nivel": "2", "nombre": ""}]


def _posted_rows() -> list[dict]:
    """The grid's cells, `actividades-<i>-<campo>`, as rows in the order of <i> (the grid numbers
    them before posting, so the order is the one on screen)."""
    found: dict[int, dict] = {}
    for key, value in request.form.items():
        m = _CELL.match(key)
        if m and (m.group(2) in forms.CAMPOS or m.group(2) == "id"):
            found.setdefault(int(m.group(1)), {})[m.group(2)] = value
    return [found[i] for i in sorted(found)]


@bp.post("/<int:ot_id>/programa/editar")
@requires_role("editor")
def guardar(ot_id: int):
    read.get_ot(ot_id)  # a 404 before reading the form
    filas = _posted_rows()
    try:
        expected = int(request.form.get("revision", ""))
    except ValueError:
        expected = None  # a form without it saves without the check, like the API
    base = read.revision(ot_id) if expected else None
    lectura = forms.read_rows(filas, base=base if base and base.n == expected else None)
    try:
        saved = commands.save_program(
            ot_id,
            lectura.plan,
            current_user,
            expected_n=expected,
            comentario=(request.form.get("comentario") or "")[:2000],
            field_errors=lectura.errores,
        )
    except Conflict as err:
        # Someone saved first: keep what this person typed, say so, and let them save over it
        # (the form now carries the newer revision number) or reload.
        p = read.program(ot_id)
        return _grid(p, filas, status=409, conflict=err.detalles)
    except ValidationFailed as err:
        p = read.program(ot_id)
        p_errors = lectura.beside_cells(err).errores
        return _grid(p, filas, status=422, errores=p_errors)
    except ServiceError as err:
        p = read.program(ot_id)
        return _grid(p, filas, status=err.status if err.status in (409, 422) else 422, general=err.detalles)
    message = f"Programa guardado como revisión {saved.revision.n}"
    if saved.advertencias:
        # Warnings never stop a save: the grid comes back on the saved revision with them listed,
        # so they are read (a toast would go away) and the next edit starts from it.
        p = read.program(ot_id)
        return _grid(p, forms.rows_of(p.revision), guardado=message, advertencias=saved.advertencias)
    return go(url_for("orders.detalle", ot_id=ot_id) + "#programa", message)
