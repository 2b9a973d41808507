"""PTE pages: list, detail with its OTs, create/edit, status workflow, logical delete."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from ..auth.security import requires_role
from ..extensions import db
from ..fields import parse_id, parse_whole
from ..models import Cliente, EstatusPTE, ResponsableProyecto
from ..service_errors import ServiceError, ValidationFailed
from ..views import go, render
from . import commands, read
from .forms import PTEForm

bp = Blueprint("pte", __name__, url_prefix="/pte")


def _options():
    return {
        "clientes": db.session.execute(
            db.select(Cliente.id, Cliente.nombre, Cliente.activo).order_by(Cliente.nombre)
        ).all(),
        "responsables": db.session.execute(
            db.select(
                ResponsableProyecto.id, ResponsableProyecto.nombre, ResponsableProyecto.activo
            ).order_by(ResponsableProyecto.nombre)
        ).all(),
        "estatus": db.session.execute(
            db.select(EstatusPTE.id, EstatusPTE.nombre).order_by(EstatusPTE.id)
        ).all(),
    }


def _query() -> read.PTEQuery:
    query = read.PTEQuery(q=(request.args.get("q") or "")[:200])
    try:
        query.id_cliente = parse_id(request.args.get("id_cliente", ""))
        query.id_estatus_pte = parse_id(request.args.get("id_estatus_pte", ""))
        query.page = parse_whole(request.args.get("page", ""), 100_000) or 1
    except ValueError:
        abort(400)
    return query


@bp.get("")
def lista():
    query = _query()
    rows, total = read.list_ptes(query)
    pages = max(1, -(-total // query.per_page))
    return render(
        "pte/list.html", "pte/_results.html", rows=rows, total=total, query=query, pages=pages, **_options()
    )


def _form_page(template_vals: dict, errores: dict | None, pte=None, status=200, general=None):
    return render_template(
        "pte/form.html", vals=template_vals, errores=errores or {}, pte=pte, general=general, **_options()
    ), status


@bp.route("/nueva", methods=["GET", "POST"])
@requires_role("editor")
def nueva():
    if request.method != "POST":  # HEAD too: only a POST saves
        return _form_page({}, None)
    form = PTEForm(formdata=request.form)
    if not form.validate():
        return _form_page(request.form, form.first_errors(), status=422)
    try:
        result = commands.create_pte(form.present_values(), current_user)
    except ValidationFailed as err:
        return _form_page(request.form, err.errores, status=422)
    return go(url_for(".detalle", pte_id=result.pte.id), result.detalles)


def _vals(pte) -> dict:
    return {
        "oficio_pte": pte.oficio_pte,
        "descripcion": pte.descripcion,
        "id_cliente": pte.id_cliente or "",
        "responsable_proyecto": pte.id_responsable_proyecto or "",
        "fecha_solicitud": pte.fecha_solicitud.isoformat() if pte.fecha_solicitud else "",
        "plazo_dias": pte.plazo_dias,
        "monto_mxn": f"{pte.monto_mxn:.2f}",
        "monto_usd": f"{pte.monto_usd:.2f}",
        "version": pte.version,
    }


@bp.route("/<int:pte_id>/editar", methods=["GET", "POST"])
@requires_role("editor")
def editar(pte_id: int):
    pte = _get(pte_id)
    if request.method != "POST":  # HEAD too: only a POST saves
        return _form_page(_vals(pte), None, pte=pte)
    form = PTEForm(formdata=request.form, partial=True)
    if not form.validate():
        return _form_page(request.form, form.first_errors(), pte=pte, status=422)
    try:
        result = commands.update_pte({**form.present_values(), "id": pte_id}, current_user)
    except ValidationFailed as err:
        return _form_page(request.form, err.errores, pte=pte, status=422)
    except ServiceError as err:
        vals = dict(request.form)
        if err.status == 409 and err.extra.get("version_actual"):
            vals["version"] = err.extra["version_actual"]  # saving again keeps the user's values
        return _form_page(vals, None, pte=_get(pte_id), status=err.status, general=err.detalles)
    return go(url_for(".detalle", pte_id=pte_id), result.detalles)


def _get(pte_id: int):
    try:
        return read.get_pte(pte_id)
    except ServiceError:
        abort(404)


@bp.get("/<int:pte_id>")
def detalle(pte_id: int):
    pte = _get(pte_id)
    names = read.status_names()
    return render_template(
        "pte/detail.html",
        pte=pte,
        ots=read.ots_of(pte_id),
        transiciones=[(s, names[s]) for s in commands.allowed_transitions(pte)],
    )


@bp.post("/<int:pte_id>/estatus")
@requires_role("editor")
def estatus(pte_id: int):
    try:
        nuevo = parse_id(request.form.get("id_estatus_pte", ""))
        version = parse_whole(request.form.get("version", ""))
    except ValueError:
        abort(400)
    try:
        result = commands.change_status(pte_id, nuevo, current_user, version)
    except ServiceError as err:
        return go(url_for(".detalle", pte_id=pte_id), err.detalles, "error")
    return go(url_for(".detalle", pte_id=pte_id), result.detalles)


@bp.post("/<int:pte_id>/eliminar")
@requires_role("editor")
def eliminar(pte_id: int):
    try:
        result = commands.delete_pte(pte_id, current_user)
    except ServiceError as err:
        return go(url_for(".detalle", pte_id=pte_id), err.detalles, "error")
    return go(url_for(".lista"), result.detalles)
