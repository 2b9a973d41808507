"""Catalog pages: one data-driven set of pages for every simple catalog, step templates, rules.
Every write: a form from forms.py, then a service in commands.py; a bad value is said beside its
field (the new row, the row being edited) or in a toast (the small row and step actions)."""

from flask import abort, render_template, request
from flask_login import current_user

from ..auth.security import requires_role
from ..errors import fail
from ..extensions import db
from ..models import Cliente, TipoDocumento
from ..service_errors import ServiceError, ValidationFailed
from ..views import action_error, render, with_toast
from . import bp, commands, read
from .forms import (
    CatalogRowEditForm,
    CatalogRowForm,
    PTERuleForm,
    PTERulePreviewForm,
    RuleForm,
    RulePreviewForm,
    SiteRowEditForm,
    StepEditForm,
    StepForm,
    StepSetForm,
)
from .registry import CATALOGOS, STEP_KINDS, Catalogo, get_catalogo


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
    return {**read.row_values(cat, row), "usos": read.usage(cat.model, row.id)}


def _typed(form) -> dict:
    """What the person typed in the row being edited, to show it again beside its errors."""
    return {field.name: request.form[field.name] for field in form if field.name in request.form}


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
    return render(
        "catalogs/list.html", "catalogs/_rows.html", cat=cat, rows=rows, q=q, f=CatalogRowForm.specs()
    )


def _new_row(cat, nombre: str = "", errores: dict | None = None) -> str:
    return render_template(
        "catalogs/_new_row.html",
        cat=cat,
        vals={"nombre": nombre},
        errores=errores or {},
        f=CatalogRowForm.specs(),
    )


@bp.post("/<slug>")
@requires_role("admin")
def crear(slug: str):
    cat = _cat(slug)
    form = CatalogRowForm(formdata=request.form)
    typed = request.form.get("nombre", "")
    if not form.validate():
        return _new_row(cat, typed, form.first_errors()), 422
    try:
        row = commands.create_row(slug, form.nombre.data, current_user)
    except ValidationFailed as err:
        return _new_row(cat, typed, err.errores), 422
    except ServiceError as err:
        return action_error(err)
    # The fresh form, plus the whole list out of band (a bare <tr> cannot travel outside a table).
    html = _new_row(cat)
    html += render_template(
        "catalogs/_rows.html", cat=cat, rows=read.list_rows(slug), q="", oob=True, nuevo=row.id
    )
    return with_toast(html, f"«{row.nombre}» agregado.")


@bp.get("/<slug>/<int:row_id>")
def fila(slug: str, row_id: int):
    cat = _cat(slug)
    return render_template("catalogs/_row.html", cat=cat, r=_row(cat, row_id))


def _row_edit(cat, r: dict, errores: dict | None = None) -> str:
    return render_template(
        "catalogs/_row_edit.html",
        cat=cat,
        r=r,
        errores=errores or {},
        f=(SiteRowEditForm if cat.sitio else CatalogRowEditForm).specs(),
    )


@bp.get("/<slug>/<int:row_id>/editar")
@requires_role("admin")
def fila_editar(slug: str, row_id: int):
    cat = _cat(slug)
    return _row_edit(cat, _row(cat, row_id))


@bp.post("/<slug>/<int:row_id>")
@requires_role("admin")
def fila_guardar(slug: str, row_id: int):
    cat = _cat(slug)
    form = (SiteRowEditForm if cat.sitio else CatalogRowEditForm)(formdata=request.form, partial=True)
    if not form.validate():
        errores = form.first_errors()
        if "activo" in errores:  # the toggle button's value: nothing to show beside a field
            return action_error(ValidationFailed.from_errors(errores))
        return _row_edit(cat, {**_row(cat, row_id), **_typed(form)}, errores), 422
    values = form.present_values()
    try:
        commands.update_row(slug, row_id, values, current_user)
    except ValidationFailed as err:
        return _row_edit(cat, {**_row(cat, row_id), **_typed(form)}, err.errores), 422
    except ServiceError as err:
        return action_error(err)
    r = _row(cat, row_id)
    message = f"«{r['nombre']}» " + (
        "guardado." if "activo" not in values else ("activado." if r["activo"] else "desactivado.")
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
# One set of pages for both checklists: /catalogos/pasos (OT) and /catalogos/pte/pasos (PTE); `kind`
# picks the StepKind (registry.STEP_KINDS) and every template, service and read takes it.

OT_KIND = {"kind": "ot"}


def _step_set(kind: str) -> tuple[int | None, dict]:
    """The set in the `tipo` query argument (the everyday set when absent), or its error."""
    form = StepSetForm(formdata=request.args)
    if not form.validate():
        return None, form.first_errors()
    return form.tipo.data or read.DEFAULT_SETS[kind], {}


def _steps_context(step_set: int, kind: str) -> dict:
    return {
        "pasos": read.list_steps(step_set, kind),
        "step_set": step_set,
        "kind": kind,
        "k": STEP_KINDS[kind],
        "f": StepEditForm.specs(),
    }


def _steps_panel(step_set: int, kind: str) -> str:
    return render_template("catalogs/_pasos_panel.html", **_steps_context(step_set, kind))


@bp.get("/pasos", defaults=OT_KIND)
@bp.get("/<any(pte):kind>/pasos")
def pasos(kind: str):
    step_set, errores = _step_set(kind)
    if errores:
        fail(400, errores["tipo"])
    return render_template(
        "catalogs/pasos.html",
        sets=read.step_sets(kind),
        set_names=read.step_set_names(kind),
        **_steps_context(step_set, kind),
    )


@bp.post("/pasos", defaults=OT_KIND)
@bp.post("/<any(pte):kind>/pasos")
@requires_role("admin")
def paso_crear(kind: str):
    step_set, errores = _step_set(kind)
    form = StepForm(formdata=request.form)
    if not form.validate() or errores:
        return action_error(ValidationFailed.from_errors({**errores, **form.first_errors()}))
    try:
        commands.create_step(
            step_set,
            form.descripcion.data,
            current_user,
            kind,
            peso=form.peso.data,
            orden=form.orden.data,
            id_padre=form.id_padre.data,
        )
    except ServiceError as err:
        return action_error(err)
    return with_toast(_steps_panel(step_set, kind), "Paso agregado.")


@bp.post("/pasos/<int:paso_id>", defaults=OT_KIND)
@bp.post("/<any(pte):kind>/pasos/<int:paso_id>")
@requires_role("admin")
def paso_guardar(paso_id: int, kind: str):
    form = StepEditForm(formdata=request.form, partial=True)
    if not form.validate():
        return action_error(ValidationFailed.from_errors(form.first_errors()))
    values = form.present_values()
    try:
        paso = commands.update_step(
            paso_id,
            values.get("descripcion"),
            values.get("activo"),
            current_user,
            kind,
            peso=values.get("peso"),
            orden=values.get("orden"),
        )
    except ServiceError as err:
        return action_error(err)
    return with_toast(_steps_panel(paso.tipo, kind), "Paso guardado.")


# --------------------------------------------------------------------------- rules


def _rules_context(kind: str, **extra):
    return {
        "reglas": read.list_rules(kind),
        "tipos": db.session.scalars(db.select(TipoDocumento).order_by(TipoDocumento.id)).all(),
        "clientes": db.session.scalars(db.select(Cliente).order_by(Cliente.nombre)).all(),
        "sets": read.step_sets(kind),
        "f": (RuleForm if kind == "ot" else PTERuleForm).specs(),
        "kind": kind,
        "k": STEP_KINDS[kind],
        **extra,
    }


@bp.get("/reglas", defaults=OT_KIND)
@bp.get("/<any(pte):kind>/reglas")
def reglas(kind: str):
    preview = None
    if kind == "ot":
        form = RulePreviewForm(formdata=request.args)
        asked = request.args.get("id_tipo")  # a half-typed choice shows no preview
    else:
        form = PTERulePreviewForm(formdata=request.args)
        asked = "id_cliente" in request.args
    if asked and form.validate():
        id_tipo = form.id_tipo.data if kind == "ot" else None
        id_cliente = form.id_cliente.data
        preview = read.preview(id_tipo, id_cliente, kind)
        preview["tipo"] = db.session.get(TipoDocumento, id_tipo) if id_tipo else None
        preview["cliente"] = db.session.get(Cliente, id_cliente) if id_cliente else None
    return render("catalogs/reglas.html", "catalogs/_preview.html", preview=preview, **_rules_context(kind))


@bp.post("/reglas", defaults=OT_KIND)
@bp.post("/<any(pte):kind>/reglas")
@requires_role("admin")
def regla_guardar(kind: str):
    form = (RuleForm if kind == "ot" else PTERuleForm)(formdata=request.form)
    if not form.validate():
        return action_error(ValidationFailed.from_errors(form.first_errors()))
    try:
        commands.save_rule(
            form.id.data,
            form.id_tipo.data if kind == "ot" else None,
            form.id_cliente.data,
            form.tipo_paso.data,
            current_user,
            kind,
        )
    except ServiceError as err:
        return action_error(err)
    return with_toast(
        render_template("catalogs/_reglas_rows.html", **_rules_context(kind)), "Regla guardada."
    )


@bp.post("/reglas/<int:rule_id>/eliminar", defaults=OT_KIND)
@bp.post("/<any(pte):kind>/reglas/<int:rule_id>/eliminar")
@requires_role("admin")
def regla_eliminar(rule_id: int, kind: str):
    try:
        commands.delete_rule(rule_id, current_user, kind)
    except ServiceError as err:
        return action_error(err)
    return with_toast(
        render_template("catalogs/_reglas_rows.html", **_rules_context(kind)), "Regla eliminada."
    )
