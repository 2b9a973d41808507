"""Catalog pages: one data-driven set of pages for every simple catalog, step templates, rules."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from ..auth.security import requires_role
from ..extensions import db
from ..fields import parse_id, parse_whole
from ..models import Cliente, TipoDocumento
from ..service_errors import ServiceError, ValidationFailed
from ..views import action_error, render, with_toast
from . import commands, read
from .registry import CATALOGOS, Catalogo, get_catalogo

bp = Blueprint("catalogs", __name__, url_prefix="/catalogos")
ACTIVO_INVALIDO = "El valor de «activo» debe ser 1 (activo) o 0 (inactivo)."


@bp.context_processor
def _catalogs():
    return {"catalogos": CATALOGOS}


def _cat(slug: str) -> Catalogo:
    try:
        return get_catalogo(slug)
    except ServiceError:
        abort(404)


def _row(cat, row_id: int):
    row = db.session.get(cat.model, row_id)
    if row is None:
        abort(404)
    return {
        "id": row.id,
        "nombre": row.nombre,
        "activo": row.activo,
        "usos": read.usage(cat.model, row.id),
    }


@bp.get("")
def index():
    counts = {
        slug: db.session.scalar(db.select(db.func.count()).select_from(cat.model))
        for slug, cat in CATALOGOS.items()
    }
    return render_template("catalogs/index.html", catalogos=CATALOGOS, counts=counts)


@bp.get("/<slug>")
def lista(slug: str):
    cat = _cat(slug)
    q = (request.args.get("q") or "")[:100]
    rows = read.list_rows(slug, q)
    return render("catalogs/list.html", "catalogs/_rows.html", cat=cat, rows=rows, q=q)


@bp.post("/<slug>")
@requires_role("admin")
def crear(slug: str):
    cat = _cat(slug)
    nombre = request.form.get("nombre", "")
    try:
        row = commands.create_row(slug, nombre, current_user)
    except ValidationFailed as err:
        return render_template("catalogs/_new_row.html", cat=cat, nombre=nombre, error=err.detalles), 422
    except ServiceError as err:
        return action_error(err)
    # The fresh form, plus the whole list out of band (a bare <tr> cannot travel outside a table).
    html = render_template("catalogs/_new_row.html", cat=cat, nombre="", error=None)
    html += render_template(
        "catalogs/_rows.html", cat=cat, rows=read.list_rows(slug), q="", oob=True, nuevo=row.id
    )
    return with_toast(html, f"«{row.nombre}» agregado.")


@bp.get("/<slug>/<int:row_id>")
def fila(slug: str, row_id: int):
    cat = _cat(slug)
    return render_template("catalogs/_row.html", cat=cat, r=_row(cat, row_id))


@bp.get("/<slug>/<int:row_id>/editar")
@requires_role("admin")
def fila_editar(slug: str, row_id: int):
    cat = _cat(slug)
    return render_template("catalogs/_row_edit.html", cat=cat, r=_row(cat, row_id), error=None)


@bp.post("/<slug>/<int:row_id>")
@requires_role("admin")
def fila_guardar(slug: str, row_id: int):
    cat = _cat(slug)
    nombre = request.form.get("nombre")
    activo = request.form.get("activo")
    if activo not in (None, "0", "1"):  # anything else would have deactivated the row
        return action_error(ValidationFailed(ACTIVO_INVALIDO))
    try:
        commands.update_row(slug, row_id, nombre, None if activo is None else activo == "1", current_user)
    except ValidationFailed as err:
        r = _row(cat, row_id)
        r["nombre"] = nombre
        return render_template("catalogs/_row_edit.html", cat=cat, r=r, error=err.detalles), 422
    except ServiceError as err:
        return action_error(err)
    r = _row(cat, row_id)
    message = f"«{r['nombre']}» " + (
        "guardado." if activo is None else ("activado." if r["activo"] else "desactivado.")
    )
    return with_toast(render_template("catalogs/_row.html", cat=cat, r=r), message)


@bp.post("/<slug>/<int:row_id>/eliminar")
@requires_role("admin")
def fila_eliminar(slug: str, row_id: int):
    _cat(slug)
    try:
        nombre = commands.delete_row(slug, row_id, current_user)
    except ServiceError as err:
        return action_error(err)
    return with_toast("", f"«{nombre}» eliminado.")


# --------------------------------------------------------------------------- step templates


def _step_set_arg() -> int:
    try:
        return parse_whole(request.args.get("tipo", "") or "5", 9999) or 5
    except ValueError:
        abort(400)


@bp.get("/pasos")
def pasos():
    step_set = _step_set_arg()
    return render_template(
        "catalogs/pasos.html", sets=read.step_sets(), step_set=step_set, pasos=read.list_steps(step_set)
    )


@bp.post("/pasos")
@requires_role("admin")
def paso_crear():
    step_set = _step_set_arg()
    try:
        commands.create_step(step_set, request.form.get("descripcion", ""), current_user)
    except ValidationFailed as err:
        return action_error(err)
    return with_toast(
        render_template("catalogs/_pasos_panel.html", pasos=read.list_steps(step_set), step_set=step_set),
        "Paso agregado.",
    )


@bp.post("/pasos/<int:paso_id>")
@requires_role("admin")
def paso_guardar(paso_id: int):
    activo = request.form.get("activo")
    if activo not in (None, "0", "1"):
        return action_error(ValidationFailed(ACTIVO_INVALIDO))
    try:
        paso = commands.update_step(
            paso_id, request.form.get("descripcion"), None if activo is None else activo == "1", current_user
        )
    except ServiceError as err:
        return action_error(err)
    return with_toast(
        render_template("catalogs/_pasos_panel.html", pasos=read.list_steps(paso.tipo), step_set=paso.tipo),
        "Paso guardado.",
    )


# --------------------------------------------------------------------------- rules


def _rule_values():
    errors = {}
    values = {}
    for name in ("id_tipo", "id_cliente"):
        try:
            values[name] = parse_id(request.values.get(name, ""))
        except ValueError:
            errors[name] = "Valor no válido."
    try:
        values["tipo_paso"] = parse_whole(request.values.get("tipo_paso", ""), 9999)
    except ValueError:
        errors["tipo_paso"] = "El conjunto de pasos debe ser un número entre 1 y 9,999."
    if errors:
        raise ValidationFailed.from_errors(errors)
    return values


def _rules_context(**extra):
    return {
        "reglas": read.list_rules(),
        "tipos": db.session.scalars(db.select(TipoDocumento).order_by(TipoDocumento.id)).all(),
        "clientes": db.session.scalars(db.select(Cliente).order_by(Cliente.nombre)).all(),
        "sets": read.step_sets(),
        **extra,
    }


@bp.get("/reglas")
def reglas():
    preview = None
    if request.args.get("id_tipo"):
        try:
            values = _rule_values()
            preview = read.preview(values["id_tipo"], values["id_cliente"])
            preview["tipo"] = db.session.get(TipoDocumento, values["id_tipo"])
            preview["cliente"] = (
                db.session.get(Cliente, values["id_cliente"]) if values["id_cliente"] else None
            )
        except ValidationFailed:
            preview = None
    return render("catalogs/reglas.html", "catalogs/_preview.html", preview=preview, **_rules_context())


@bp.post("/reglas")
@requires_role("admin")
def regla_guardar():
    try:
        values = _rule_values()
        rule_id = parse_id(request.form.get("id", "")) if request.form.get("id") else None
        commands.save_rule(
            rule_id, values["id_tipo"], values["id_cliente"], values["tipo_paso"], current_user
        )
    except ValueError:
        abort(400)
    except ServiceError as err:
        return action_error(err)
    return with_toast(render_template("catalogs/_reglas_rows.html", **_rules_context()), "Regla guardada.")


@bp.post("/reglas/<int:rule_id>/eliminar")
@requires_role("admin")
def regla_eliminar(rule_id: int):
    try:
        commands.delete_rule(rule_id, current_user)
    except ServiceError as err:
        return action_error(err)
    return with_toast(render_template("catalogs/_reglas_rows.html", **_rules_context()), "Regla eliminada.")
