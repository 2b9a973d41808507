"""PTE pages: list, detail with its OTs, create/edit, status workflow, logical delete. Each write:
a form from pte/forms.py, then pte/commands.py, which also says when a PTE cannot be changed."""

from flask import abort, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from .. import steps, views
from ..auth.security import requires_role
from ..extensions import db
from ..files import accepts_upload, send_stored
from ..formatting import form_text
from ..models import Cliente, EstatusPTE, ResponsableProyecto
from ..orders.forms import StepForm, step_values
from ..service_errors import ServiceError, ValidationFailed
from ..views import action_error, go, render, wants_fragment, with_toast
from . import bp, commands, read
from .forms import PTEForm, PTEStatusForm
from .query import pte_query_from_args


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


def list_url(**changes) -> str:
    """The current PTE list URL with some parameters changed (sort links, pager)."""
    return views.list_url("pte.lista", read.DEFAULT_SORT, **changes)


@bp.get("")
def lista():
    """Search, filters, sort (`?orden=`) and page are in the URL; htmx asks for the results alone."""
    query = pte_query_from_args(request.args)
    rows, total = read.list_ptes(query)
    pages = max(1, -(-total // query.per_page))
    context = {"rows": rows, "total": total, "query": query, "pages": pages}
    context.update(list_url=list_url, default_orden=read.DEFAULT_SORT)
    if not wants_fragment():
        context.update(_options())
    return render("pte/list.html", "pte/_results.html", **context)


def _form_page(template_vals: dict, errores: dict | None, pte=None, status=200, general=None):
    """The PTE form as a page, or as the dialog's fragment when htmx asked for it."""
    return render(
        "pte/form.html",
        "pte/_form.html",
        status=status,
        vals=template_vals,
        errores=errores or {},
        pte=pte,
        general=general,
        f=PTEForm.specs(),
        **_options(),
    )


def _vals(pte) -> dict:
    """The stored PTE as the form's fields show it."""
    values = {
        "oficio_pte": pte.oficio_pte,
        "descripcion": pte.descripcion,
        "id_cliente": pte.id_cliente,
        "responsable_proyecto": pte.id_responsable_proyecto,
        "fecha_solicitud": pte.fecha_solicitud,
        "plazo_dias": pte.plazo_dias,
        "monto_mxn": pte.monto_mxn,
        "monto_usd": pte.monto_usd,
        "version": pte.version,
    }
    return {k: form_text(v) for k, v in values.items()}


def _get(pte_id: int):
    try:
        return read.get_pte(pte_id)
    except ServiceError:
        abort(404)


@bp.get("/nueva")
@requires_role("editor")
def nueva():
    return _form_page({}, None)


@bp.post("/nueva")
@requires_role("editor")
def crear():
    form = PTEForm(formdata=request.form)
    if not form.validate():
        return _form_page(request.form, form.first_errors(), status=422)
    try:
        result = commands.create_pte(form.present_values(), current_user)
    except ValidationFailed as err:
        return _form_page(request.form, err.errores, status=422)
    except ServiceError as err:  # the same oficio saved by someone else a moment ago: keep what was typed
        return _form_page(request.form, None, status=err.status, general=err.detalles)
    return go(url_for(".detalle", pte_id=result.pte.id), result.detalles)


def _editable(pte_id: int):
    """The PTE, or the answer that sends back to its detail with the service's reason it cannot be
    edited (a deleted PTE is read-only)."""
    pte = _get(pte_id)
    try:
        commands.ensure_editable(pte)
    except ServiceError as err:
        return None, go(url_for(".detalle", pte_id=pte_id), err.detalles, "error")
    return pte, None


@bp.get("/<int:pte_id>/editar")
@requires_role("editor")
def editar(pte_id: int):
    pte, refused = _editable(pte_id)
    return refused or _form_page(_vals(pte), None, pte=pte)


@bp.post("/<int:pte_id>/editar")
@requires_role("editor")
def guardar(pte_id: int):
    pte, refused = _editable(pte_id)
    if refused:
        return refused
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


@bp.get("/<int:pte_id>")
def detalle(pte_id: int):
    pte = _get(pte_id)
    names = read.status_names()
    steps, progress = read.steps_and_progress(pte_id)
    return render_template(
        "pte/detail.html",
        pte=pte,
        ots=read.ots_of(pte_id),
        transiciones=[(s, names[s]) for s in commands.allowed_transitions(pte)],
        steps=steps,
        progress=progress,
        kind="pte",
        editable=current_user.puede("editor") and not pte.eliminada,
        # Crear OT: the new-OT form prefilled from the PTE, once it may parent one (orders' creation
        # checks the same gate, pte.read.missing_for_ot, when it is saved).
        crear_ot=read.ot_prefill(pte)
        if current_user.puede("editor") and pte.puede_originar_ot and progress.completo
        else None,
        f_paso=StepForm.specs(),
    )


@bp.post("/<int:pte_id>/estatus")
@requires_role("editor")
def estatus(pte_id: int):
    back = url_for(".detalle", pte_id=pte_id)
    formdata = MultiDict(request.form)
    formdata["id"] = str(pte_id)  # the PTE is the one in the URL
    form = PTEStatusForm(formdata=formdata)
    if not form.validate():
        return go(back, next(iter(form.first_errors().values())), "error")
    try:
        result = commands.change_status(pte_id, form.id_estatus_pte.data, current_user, form.version.data)
    except ServiceError as err:
        return go(back, err.detalles, "error")
    return go(back, result.detalles)


@bp.post("/<int:pte_id>/eliminar")
@requires_role("editor")
def eliminar(pte_id: int):
    try:
        result = commands.delete_pte(pte_id, current_user)
    except ServiceError as err:
        return go(url_for(".detalle", pte_id=pte_id), err.detalles, "error")
    return go(url_for(".lista"), result.detalles)


# --------------------------------------------------------------------------- checklist
# The same row template and keys as the OT's steps (orders/_step.html with kind="pte").


def _step_page(paso_id: int, **context):
    try:
        pte_id = read.pte_of_step(paso_id)
    except ServiceError:
        abort(404)
    steps, progress = read.steps_and_progress(pte_id)
    step = next(s for s in steps if s["id"] == paso_id)
    also = [s for s in steps if s["id"] == step["id_padre"]] if context.get("oob") else []
    return render_template(
        "orders/_step.html",
        s=step,
        progress=progress,
        kind="pte",
        f_paso=StepForm.specs(),
        also=also,
        **context,
    )


@bp.get("/paso/<int:paso_id>")
def paso(paso_id: int):
    return _step_page(paso_id, editable=current_user.puede("editor"))


@bp.get("/paso/<int:paso_id>/editar")
@requires_role("editor")
def paso_comentario(paso_id: int):
    return _step_page(paso_id, editable=True, editing=True)


@bp.post("/paso/<int:paso_id>")
@requires_role("editor")
def paso_guardar(paso_id: int):
    try:
        values = step_values(request.form, paso_id)
        result = commands.set_step(values, current_user)
    except ServiceError as err:
        return action_error(err)
    # The step's row; the progress and (when it followed its sub-steps) the parent's row out of band.
    return with_toast(_step_page(paso_id, editable=True, oob=True), result.detalles)


# --------------------------------------------------------------------------- step deliverable file


@bp.get("/paso/<int:paso_id>/archivo")
def paso_archivo_descargar(paso_id: int):
    try:
        stored = read.step_file(paso_id)
    except ServiceError:
        abort(404)
    return send_stored(stored)


@bp.post("/paso/<int:paso_id>/archivo")
@accepts_upload(steps.DELIVERABLE_MAX_BODY)
@requires_role("editor")
def paso_archivo(paso_id: int):
    try:
        result = commands.attach_step_file(paso_id, request.files.get("archivo"), current_user)
    except ServiceError as err:
        return action_error(err)
    return with_toast(_step_page(paso_id, editable=True, oob=True), result.detalles)
