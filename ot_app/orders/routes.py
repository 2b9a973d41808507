"""The OT pages (htmx): list, detail, new/edit form, inline row and step edits, delete/restore.

Routes parse with the forms, call `commands` or `read`, and render; a full page or the fragment htmx asked
for comes from one template (the page includes the fragment). No rule of the domain lives here.
"""

from __future__ import annotations

import json
from datetime import datetime

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from .. import steps, views
from ..auth.security import is_htmx, requires_role
from ..catalogs.read import options as catalog_options
from ..errors import TITLES, fail
from ..exports import download, export_format
from ..extensions import db
from ..fields import id_or_none, parse_id
from ..files import accepts_upload, send_stored
from ..formatting import form_text, office_today
from ..models import (
    EstatusOTId,
    FrenteId,
    Registro,
    TipoId,
)
from ..service_errors import Conflict, NotFound, ServiceError, ValidationFailed
from ..views import action_error, go, render, wants_fragment, with_toast
from . import baselines, bp, commands, export, lookups, read
from .forms import BulkForm, OTForm, OTStatusForm, StepForm, parse_selection, step_values
from .query import dashboard_filters, list_query_from_args


@bp.context_processor
def _form_specs():
    """Labels and lengths of the OT's fields come from its forms (`f`: OTForm, `f_paso`: StepForm)."""
    return {"f": OTForm.specs(), "f_paso": StepForm.specs()}


FORM_CATALOGS = (
    "clientes",
    "tipos",
    "estatus_ot",
    "frentes",
    "responsables",
    "embarcaciones",
    "plataformas",
    "intercoms",
    "patios",
)
PREFILL = (
    "id_tipo",
    "ot_principal",
    "principal_buscar",
    "id_pte_header",
    "pte_buscar",
    "id_cliente",
    "id_frente",
    # Crear OT from a PTE (pte.read.ot_prefill): the PTE's figures, and Por definir.
    "orden_trabajo",
    "descripcion_trabajo",
    "responsable_proyecto",
    "monto_mxn",
    "monto_usd",
    "plazo_dias",
    "por_definir",
)
ROW_FIELDS = (
    "responsable_proyecto",
    "id_estatus_ot",
    "fecha_inicio_real",
    "fecha_termino_real",
    "comentario_general",
)
# Fields compared side by side when someone else saved the OT first (form names).
CONFLICT_FIELDS = (
    "orden_trabajo",
    "oficio_ot",
    "id_tipo",
    "pte_buscar",
    "descripcion_trabajo",
    "id_cliente",
    "responsable_proyecto",
    "responsable_cliente",
    "id_estatus_ot",
    "id_frente",
    "id_patio",
    "id_embarcacion",
    "id_plataforma",
    "id_intercom",
    "check_fase_patio",
    "id_patio_fase",
    "fecha_inicio_patio",
    "fecha_fin_patio",
    "fecha_inicio_programado",
    "fecha_termino_programado",
    "fecha_inicio_real",
    "fecha_termino_real",
    "plazo_dias",
    "monto_mxn",
    "monto_usd",
    "comentario_general",
)
# What the Reprogramar form carries (the service takes the rest from the current version): the
# edit form's fields but those a new version does not choose, plus its motivo and the PTE's id.
NOT_REPROGRAMMED = {
    "orden_trabajo",
    "id_tipo",
    "id_estatus_ot",
    "fecha_inicio_real",
    "fecha_termino_real",
    "comentario_general",
}
REPROGRAM_FIELDS = ("motivo", "id_pte_header", *(f for f in CONFLICT_FIELDS if f not in NOT_REPROGRAMMED))


# --------------------------------------------------------------------------- helpers


def list_url(**changes) -> str:
    """The current list URL with some parameters changed; defaults are left out."""
    return views.list_url("main.index", read.DEFAULT_SORT, **changes)


# --------------------------------------------------------------------------- list


def _page_query() -> tuple[read.ListQuery, bool]:
    """The list page's query from its URL (shared by the page and its export)."""
    query = list_query_from_args(request.args)
    # The page shows one row per chain (its current version) unless asked for every version; the
    # deleted OTs and one chain's members are listed as they are.
    todas = request.args.get("versiones") == "todas"
    query.vigentes = not (todas or query.estatus == Registro.ELIMINADA or query.ot_principal or query.id_tipo)
    return query, todas


def lista():
    """The OT list, the home page (`main.index`, "/"): search, filters, sort and page are in the URL.
    Its results (rows, counts, totals, pager) and the page around them are rendered once per URL,
    role, day and data version in each worker: over 100,000 OTs the rows' statements and their
    markup are most of the page."""
    query, todas = _page_query()
    query.totales = True

    def results() -> dict:
        return {
            "page": read.list_orders(query, current_user),
            "query": query,
            "agrupada": query.vigentes,
            "list_url": list_url,
            "default_orden": read.DEFAULT_SORT,
        }

    html = views.cached_fragment("orders/_results.html", results)
    if wants_fragment():
        return views.render_around("orders/list.html", html)

    def content():
        cats = catalog_options("clientes", "tipos", "estatus_ot", "frentes", "responsables")
        context = {
            "results": html,
            "query": query,
            "todas": todas,
            "list_url": list_url,
            "cats": cats,
            "tablero": dashboard_filters(request.args, cats["responsables"]),
            # The bulk status asks for the date the chosen status stamps (commands.STATUS_DATES), as `s` does.
            "status_dates": {s: OTForm.specs()[name].label for s, name in commands.STATUS_DATES.items()},
            "today": office_today().isoformat(),
            "f_masivo": BulkForm.specs(),
        }
        if query.id_pte_header:
            context["pte_filtro"] = lookups.pte_oficio(query.id_pte_header) or f"ID {query.id_pte_header}"
        return views.rendered("orders/_lista.html", **context)

    contenido = views.cached_render("orders/_lista.html", office_today(), content)
    return views.render_around("orders/list.html", html, contenido=contenido)


@bp.post("/masivo")
@requires_role("editor")
def masivo():
    """A bulk action on the list's selection: the service says what changed and what it skipped,
    shown row by row under the toolbar and in a toast; the list refreshes itself (`ot-cambios`),
    counts and totals with its rows."""
    form = BulkForm(formdata=request.form)
    try:
        if not form.validate():
            raise ValidationFailed.from_errors(form.first_errors())
        result = commands.bulk_change(form.present_values(), current_user)
    except ValidationFailed as err:
        err.status = 422  # said in a toast; the list stays as it is
        return action_error(err)
    except ServiceError as err:
        return action_error(err)
    response = make_response(render_template("orders/_masivo_resultado.html", result=result), 200)
    response.headers["HX-Trigger"] = json.dumps(
        {"toast": {"message": result.detalles, "kind": result.tipo_aviso}, "ot-cambios": True}
    )
    return response


@bp.get("/exportar")
def exportar():
    """The list as the user sees it (filters, sort, versions), every page, as xlsx or CSV; with
    `ots=1,2,3` only the list's selection, in the list's order."""
    formato = export_format(request.args)
    if "ots" in request.args:
        try:
            pairs = parse_selection(request.args["ots"])
        except ValueError as exc:
            fail(400, f"La selección {exc}.")
        if not pairs:
            fail(400, "Seleccione al menos una OT.")
        nombre, sheet, columns, rows = export.export_selection([i for i, _ in pairs], current_user)
    else:
        query, _ = _page_query()
        nombre, sheet, columns, rows = export.export_orders(query, current_user)
    return download(nombre, formato, sheet, columns, rows)


@bp.get("/<int:ot_id>/fila")
def fila(ot_id: int):
    return render_template("orders/_rows.html", rows=[read.list_row(ot_id)])


@bp.get("/<int:ot_id>/fila/editar")
@requires_role("editor")
def fila_editar(ot_id: int):
    o = read.list_row(ot_id)
    try:
        commands.ensure_editable(o)
    except ServiceError as err:
        return action_error(err)
    vals = {
        "version": form_text(o["version"]),
        "responsable_proyecto": form_text(o["id_responsable_proyecto"]),
        "id_estatus_ot": form_text(o["id_estatus_ot"]),
        "fecha_inicio_real": form_text(o["fecha_inicio_real"]),
        "fecha_termino_real": form_text(o["fecha_termino_real"]),
        "comentario_general": form_text(o["comentario"]),
    }
    return _row_edit(o, vals)


def _row_edit(o, vals, errores=None, conflict=None, status=200):
    cats = catalog_options("responsables", "estatus_ot")
    return make_response(
        render_template(
            "orders/_row_edit.html", o=o, vals=vals, errores=errores or {}, cats=cats, conflict=conflict
        ),
        status,
    )


@bp.post("/<int:ot_id>/fila")
@requires_role("editor")
def fila_guardar(ot_id: int):
    raw = MultiDict([(k, request.form[k]) for k in ("version", *ROW_FIELDS) if k in request.form])
    raw["id"] = str(ot_id)
    vals = raw.to_dict()
    form = OTForm(formdata=raw, partial=True)
    if not form.validate():
        return _row_edit(read.list_row(ot_id), vals, form.first_errors(), status=422)
    try:
        result = commands.update_order(form.present_values(), current_user)
    except ValidationFailed as err:
        return _row_edit(read.list_row(ot_id), vals, err.errores or {"_": err.detalles}, status=422)
    except Conflict as err:
        vals["version"] = form_text(err.extra.get("version_actual"))
        return _row_edit(read.list_row(ot_id), vals, conflict=err, status=409)
    except ServiceError as err:
        return action_error(err)
    return with_toast(
        render_template("orders/_rows.html", rows=[read.list_row(ot_id)]), result.mensaje, result.tipo_aviso
    )


# --------------------------------------------------------------------------- detail and steps


@bp.get("/<int:ot_id>")
def detalle(ot_id: int):
    """The OT page. Its content is rendered once per OT, role, day and data version in each worker
    (a 404 or a deleted OT's refusal is never kept): the OT, its steps, versions and history are
    five statements and most of the page's time."""

    def content():
        ot = read.get_order(ot_id)
        steps, progress = read.steps_and_progress(ot.id)
        lineage = read.versions_of(ot)
        # A live OT that is not its chain's current version was replaced: read-only, naming the current one.
        vigente = next((v for v in lineage.versiones if v["vigente"]), None)
        replaced = vigente if vigente is not None and vigente["id"] != ot.id and not ot.eliminada else None
        html = views.rendered(
            "orders/_detalle.html",
            ot=ot,
            steps=steps,
            progress=progress,
            lineage=lineage,
            replaced=replaced,
            history=lookups.history(ot.id),
            editable=current_user.puede("editor") and not ot.eliminada and replaced is None,
        )
        return ot.orden_trabajo, html

    titulo, contenido = views.cached_render("orders/_detalle.html", (ot_id, office_today()), content)
    return render_template("orders/detail.html", titulo=titulo, contenido=contenido)


def _render_block(template_name: str, block: str, **context) -> str:
    """One block of a page template alone: the page and its fragment are the same markup."""
    current_app.update_template_context(context)
    template = current_app.jinja_env.get_template(template_name)
    return "".join(template.blocks[block](template.new_context(context)))


@bp.get("/<int:ot_id>/historial")
def historial(ot_id: int):
    """The OT page's history, refetched after a step change (the step's answer says `ot-historial`)."""
    ot = read.get_order(ot_id)
    return _render_block("orders/_detalle.html", "historial", ot=ot, history=lookups.history(ot.id))


HISTORY_CHANGED = "ot-historial"  # the event the OT page's history listens for


def _step_page(paso_id: int, **context):
    id_ot = read.ot_of_step(paso_id)
    steps, progress = read.steps_and_progress(id_ot)
    step = next(s for s in steps if s["id"] == paso_id)
    return render_template("orders/_step.html", s=step, ot_id=id_ot, progress=progress, **context)


@bp.get("/paso/<int:paso_id>")
def paso(paso_id: int):
    return _step_page(paso_id, editable=current_user.puede("editor"))


@bp.get("/paso/<int:paso_id>/comentario")
@requires_role("editor")
def paso_comentario(paso_id: int):
    try:
        commands.ensure_editable(read.get_order(read.ot_of_step(paso_id)))
    except ServiceError as err:
        return action_error(err)
    return _step_page(paso_id, editable=True, editing=True)


@bp.post("/paso/<int:paso_id>")
@requires_role("editor")
def paso_guardar(paso_id: int):
    try:
        values = step_values(request.form, paso_id)
        commands.set_step(values, current_user)
    except ServiceError as err:
        return action_error(err)
    # The step's row, and the OT's progress out of band; the history refetches itself.
    response = make_response(_step_page(paso_id, editable=True, oob=True))
    response.headers["HX-Trigger"] = HISTORY_CHANGED
    return response


# --------------------------------------------------------------------------- new / edit


def _form_page(
    vals: dict, errores=None, ot=None, conflict=None, theirs=None, status=200, general=None, reprogramar=False
):
    """The OT form as a page or a fragment: new, edit, or (reprogramar) a new version of `ot`."""
    context = _form_context(vals, errores, ot, conflict, theirs, general, reprogramar)
    if ot and not reprogramar:
        template = "orders/_form.html" if wants_fragment() else "orders/_editar.html"
        return _edit_page(ot.orden_trabajo, views.rendered(template, **context), status)
    template = "orders/reprogram.html" if reprogramar else "orders/new.html"
    return render(template, "orders/_form.html", status=status, **context)


def _edit_page(folio: str, html, status: int = 200):
    """The edit page around its form (orders/_editar.html), or the form alone for htmx."""
    return views.render_around("orders/edit.html", html, status, titulo=folio, contenido=html)


def _form_context(
    vals: dict, errores=None, ot=None, conflict=None, theirs=None, general=None, reprogramar=False
) -> dict:
    """What the OT form shows: the values, their errors, the pickers' options, the conflict."""
    cats = catalog_options(*FORM_CATALOGS)
    tipo = vals.get("id_tipo") or str(TipoId.INICIAL)
    if reprogramar:
        action = url_for("orders.reprogramar_guardar", ot_id=ot.id)
        retake = url_for("orders.reprogramar", ot_id=ot.id)
    elif ot:
        action, retake = url_for("orders.guardar", ot_id=ot.id), url_for("orders.editar", ot_id=ot.id)
    else:
        action, retake = url_for("orders.crear"), None
    context = {
        "vals": vals,
        "errores": errores or {},
        "ot": ot,
        "cats": cats,
        "ptes": lookups.approved_ptes(
            vals.get("pte_buscar", ""), chosen=id_or_none(vals.get("id_pte_header"))
        ),
        "iniciales": lookups.initial_orders(
            vals.get("principal_buscar", ""), chosen=id_or_none(vals.get("ot_principal"))
        )
        if tipo == str(TipoId.REPROGRAMADA) and not reprogramar
        else [],
        "conflict": conflict,
        "general": general,
        "action": action,
        "retake": retake,
        "reprogramar": reprogramar,
    }
    if reprogramar:
        context["siguiente"] = read.version_label((ot.num_reprogramacion or 0) + 1)
        context["advertencias"] = _reprogram_warnings(ot, vals)
    if conflict is not None and conflict.extra.get("cuando"):
        context["conflict_cuando"] = datetime.fromisoformat(conflict.extra["cuando"])
    if conflict is not None and theirs is not None:
        context["differences"] = [
            (
                lookups.LABELS.get(name, name),
                _shown(name, theirs.get(name, ""), cats),
                _shown(name, vals.get(name, ""), cats),
            )
            for name in (REPROGRAM_FIELDS if reprogramar else CONFLICT_FIELDS)
            if (theirs.get(name) or "") != (vals.get(name) or "")
        ]
    return context


def _shown(name: str, value: str, cats) -> str:
    if name == "check_fase_patio":
        return "Sí" if value == "on" else "No"
    if name == "pte_buscar":
        return value or "—"
    return lookups.display(name, value, cats)


def vals_from_ot(ot) -> dict:
    offshore_yard = not ot.en_tierra and ot.requiere_patio
    values = {
        "id": ot.id,
        "version": ot.version,
        "orden_trabajo": ot.orden_trabajo,
        "oficio_ot": ot.oficio_ot,
        "id_tipo": ot.id_tipo,
        "ot_principal": ot.ot_principal,
        "principal_buscar": ot.principal.orden_trabajo if ot.principal else "",
        "id_pte_header": ot.id_pte_header,
        "pte_buscar": ot.pte.oficio_pte if ot.pte else "",
        "descripcion_trabajo": ot.descripcion_trabajo,
        "id_cliente": ot.id_cliente,
        "responsable_proyecto": ot.id_responsable_proyecto,
        "responsable_cliente": ot.responsable_cliente,
        "id_estatus_ot": ot.id_estatus_ot,
        "id_frente": ot.id_frente,
        "id_embarcacion": ot.id_embarcacion,
        "id_plataforma": ot.id_plataforma,
        "id_intercom": ot.id_intercom,
        "id_patio": ot.id_patio if ot.en_tierra else None,
        "check_fase_patio": "on" if offshore_yard else "",
        "id_patio_fase": ot.id_patio if offshore_yard else None,
        "fecha_inicio_patio": ot.fecha_inicio_patio,
        "fecha_fin_patio": ot.fecha_fin_patio,
        "fecha_inicio_programado": ot.fecha_inicio_programado,
        "fecha_termino_programado": ot.fecha_termino_programado,
        "fecha_inicio_real": ot.fecha_inicio_real,
        "fecha_termino_real": ot.fecha_termino_real,
        "plazo_dias": ot.plazo_dias,
        "monto_mxn": ot.monto_mxn,
        "monto_usd": ot.monto_usd,
        "comentario_general": ot.comentario,
    }
    return {k: form_text(v) for k, v in values.items()}


def _posted() -> tuple[MultiDict, dict]:
    """The posted form, with the pickers' typed text resolved when no script filled the ids."""
    raw = MultiDict(request.form)
    raw.pop("csrf_token", None)
    if not raw.get("id_pte_header", "").strip() and raw.get("pte_buscar", "").strip():
        found = lookups.pte_id_by_oficio(raw["pte_buscar"])
        if found:
            raw["id_pte_header"] = str(found)
    if raw.get("id_tipo") == str(TipoId.REPROGRAMADA) and not raw.get("ot_principal", "").strip():
        found = read.initial_by_folio(raw.get("principal_buscar", ""))
        if found:
            raw["ot_principal"] = str(found)
    return raw, raw.to_dict()


@bp.get("/nueva")
@requires_role("editor")
def nueva():
    vals = {
        "id_tipo": str(TipoId.INICIAL),
        "id_frente": str(FrenteId.TIERRA),
        "id_estatus_ot": str(EstatusOTId.PROGRAMADA),
    }
    vals.update({k: v for k, v in request.args.items() if k in PREFILL})
    return _form_page(vals)


@bp.post("/nueva")
@requires_role("editor")
def crear():
    raw, vals = _posted()
    form = OTForm(formdata=raw)
    form.validate()
    try:
        # The form's errors go in too: the service adds its rules' and refuses them all at once.
        result = commands.create_order(form.present_values(), current_user, form.first_errors())
    except ValidationFailed as err:
        return _form_page(vals, err.errores, status=422, general=None if err.errores else err.detalles)
    except ServiceError as err:
        return _form_page(vals, status=err.status if err.status in (409, 422) else 422, general=err.detalles)
    return go(url_for("orders.detalle", ot_id=result.ot.id), result.mensaje, result.tipo_aviso)


@bp.get("/<int:ot_id>/editar")
@requires_role("editor")
def editar(ot_id: int):
    """The edit page (the form alone for htmx). Its markup is rendered once per OT, role, day and
    data version in each worker, with the request's CSRF token put in: the OT with its catalogs and
    the form's fields are most of the page's time. A refusal (a replaced version) is kept too: it
    depends on the data only; its message is flashed per request."""
    fragment = wants_fragment()

    def form():
        ot = read.get_order(ot_id)
        try:
            commands.ensure_editable(ot)
        except ServiceError as err:
            return None, err.detalles
        template = "orders/_form.html" if fragment else "orders/_editar.html"
        context = _form_context(vals_from_ot(ot), ot=ot)
        return ot.orden_trabajo, views.rendered(template, csrf_token=views.token_slot, **context)

    folio, html = views.cached_render("orders/editar", (ot_id, fragment, office_today()), form)
    if folio is None:
        flash(html, "error")
        return redirect(url_for("orders.detalle", ot_id=ot_id))
    return _edit_page(folio, views.with_token(html))


@bp.post("/<int:ot_id>/editar")
@requires_role("editor")
def guardar(ot_id: int):
    read.get_order(ot_id)  # a 404 before reading the form
    raw, vals = _posted()
    raw["id"] = vals["id"] = str(ot_id)
    form = OTForm(formdata=raw, partial=True)
    form.validate()
    try:
        result = commands.update_order(form.present_values(), current_user, form.first_errors())
    except Conflict as err:
        current = read.get_order(ot_id)
        vals["version"] = form_text(err.extra.get("version_actual"))
        return _form_page(vals, ot=current, conflict=err, theirs=vals_from_ot(current), status=409)
    except ServiceError as err:
        db.session.rollback()
        errores = err.errores if isinstance(err, ValidationFailed) else None
        return _form_page(
            vals,
            errores,
            ot=read.get_order(ot_id),
            status=err.status if err.status in (409, 422) else 422,
            general=None if errores else err.detalles,
        )
    return go(url_for("orders.detalle", ot_id=ot_id), result.mensaje, result.tipo_aviso)


# --------------------------------------------------------------------------- reprogramming

FIGURES = ("fecha_inicio_programado", "fecha_termino_programado", "plazo_dias", "monto_mxn", "monto_usd")


def _reprogram_warnings(current, vals: dict) -> list[dict]:
    """The warnings the new version would carry with these (typed) figures: the same
    `baselines.warnings` the service answers with, before saving. A figure that does not parse counts
    as unchanged here (its field shows its own error on save)."""
    form = OTForm(formdata=MultiDict({k: vals.get(k, "") for k in FIGURES}), partial=True)
    form.validate()
    bad = form.first_errors()
    values = form.present_values()
    version = {name: getattr(current, name) if name in bad else values.get(name) for name in FIGURES}
    version["num_reprogramacion"] = (current.num_reprogramacion or 0) + 1
    original = current if current.inicial else current.principal
    return baselines.warnings(version, previous=current, original=original)


def _current_or_refuse(ot_id: int):
    """The OT to reprogram: the chain's current version (from any member); a deleted OT is refused."""
    ot = read.get_order(ot_id)
    if ot.eliminada:
        raise ServiceError(commands.DELETED_NOT_REPROGRAMMABLE, status=409)
    current = read.current_version(ot)
    return ot if current is None or current.id == ot.id else read.get_order(current.id)


def vals_for_reprogram(current) -> dict:
    """The Reprogramar form prefilled from the chain's current version (`commands.reprogram_dates`)."""
    vals = vals_from_ot(current)
    start, end = commands.reprogram_dates(current)
    vals.update(
        fecha_inicio_programado=form_text(start),
        fecha_termino_programado=form_text(end),
        oficio_ot="",
        motivo="",
    )
    return {k: v for k, v in vals.items() if k in REPROGRAM_FIELDS or k in ("id", "version")}


@bp.get("/<int:ot_id>/reprogramar")
@requires_role("editor")
def reprogramar(ot_id: int):
    try:
        current = _current_or_refuse(ot_id)
    except NotFound:
        raise
    except ServiceError as err:  # deleted (seen by an admin): back to its page, saying why
        flash(err.detalles, "error")
        return redirect(url_for("orders.detalle", ot_id=ot_id))
    if current.id != ot_id:
        return redirect(url_for("orders.reprogramar", ot_id=current.id))
    return _form_page(vals_for_reprogram(current), ot=current, reprogramar=True)


@bp.get("/<int:ot_id>/reprogramar/revisar")
@requires_role("editor")
def reprogramar_revisar(ot_id: int):
    """The warnings of the version being typed (the 25 % rule...), refreshed as its figures change."""
    current = read.get_order(ot_id)
    return render_template(
        "orders/_advertencias.html", advertencias=_reprogram_warnings(current, request.args)
    )


@bp.post("/<int:ot_id>/reprogramar")
@requires_role("editor")
def reprogramar_guardar(ot_id: int):
    raw, vals = _posted()
    raw = MultiDict([(k, v) for k, v in raw.items(multi=True) if k in REPROGRAM_FIELDS or k == "version"])
    raw["id"] = vals["id"] = str(ot_id)
    current = read.get_order(ot_id)
    form = OTForm(formdata=raw, partial=True)
    valid = form.validate()
    errores = form.first_errors()
    if not (raw.get("motivo") or "").strip():
        errores = {"motivo": commands.MOTIVO_REQUIRED, **errores}  # said with the others, in one round
    if not valid or errores:
        return _form_page(vals, errores, ot=current, status=422, reprogramar=True)
    try:
        result = commands.reprogram_order(form.present_values(), current_user)
    except Conflict as err:
        fresh = read.get_order(ot_id)
        vals["version"] = form_text(err.extra.get("version_actual"))
        theirs = vals_for_reprogram(fresh)
        return _form_page(vals, ot=fresh, conflict=err, theirs=theirs, status=409, reprogramar=True)
    except ServiceError as err:
        db.session.rollback()
        errores = err.errores if isinstance(err, ValidationFailed) else None
        return _form_page(
            vals,
            errores,
            ot=read.get_order(ot_id),
            status=err.status if err.status in (409, 422) else 422,
            general=None if errores else err.detalles,
            reprogramar=True,
        )
    return go(url_for("orders.detalle", ot_id=result.ot.id), result.mensaje, result.tipo_aviso)


@bp.get("/comparar")
def comparar():
    """Two versions of one chain side by side: /ot/comparar?de=ID&a=ID (from the lineage, or typed)."""
    try:
        de, a = parse_id(request.args.get("de", "")), parse_id(request.args.get("a", ""))
    except ValueError:
        de = a = None
    if de is None or a is None:
        fail(400, "Indique las dos versiones a comparar: /ot/comparar?de=ID&a=ID (IDs de OT).")
    comparison = lookups.compare(de, a, current_user)
    lineage = read.versions_of(comparison.de)
    return render_template("orders/compare.html", c=comparison, lineage=lineage)


@bp.get("/<int:ot_id>/versiones/filas")
def versiones_filas(ot_id: int):
    """The earlier versions of a chain, as list rows under its current version's row (`+` on the list)."""
    ot = read.get_order(ot_id)
    page = read.list_orders(
        read.ListQuery(cadena=read.chain_root(ot), per_page=read.CHAIN_ROWS_MAX), current_user
    )
    rows = sorted((o for o in page.items if not o["vigente"]), key=lambda o: -(o["num_reprogramacion"] or 0))
    return render_template("orders/_version_rows.html", rows=rows, raiz=read.chain_root(ot), shown_of=ot_id)


# --------------------------------------------------------------------------- delete / restore


def _refused(err: ServiceError, ot_id: int):
    """A delete or restore was refused: a toast for htmx; without script, back to the OT with the message."""
    if is_htmx():
        return action_error(err)
    flash(err.detalles, "error")
    return redirect(url_for("orders.detalle", ot_id=ot_id), code=303)


@bp.post("/<int:ot_id>/eliminar")
@requires_role("editor")
def eliminar(ot_id: int):
    try:
        result = commands.delete_order(ot_id, current_user)
    except ServiceError as err:
        if request.headers.get("HX-Target") == "delete-msg" and err.status in (409, 422):
            # Asked from the confirmation dialog: the refusal goes inside it, not behind it in a toast.
            html = render_template(
                "errors/_error.html",
                code=err.status,
                title=TITLES.get(err.status, "Error"),
                message=err.detalles,
            )
            return html, err.status
        return _refused(err, ot_id)
    return go(url_for("main.index"), f"{result.detalles}: {result.ot.orden_trabajo}.")


@bp.post("/<int:ot_id>/restaurar")
@requires_role("admin")
def restaurar(ot_id: int):
    in_row = request.headers.get("HX-Target") == f"ot-{ot_id}"
    try:
        result = commands.restore_order(ot_id, current_user)
    except ServiceError as err:
        return _refused(err, ot_id)
    message = f"{result.detalles}: {result.ot.orden_trabajo}."
    if in_row:
        # The row leaves the list of deleted OTs, and the list refreshes its counts with its rows.
        response = make_response("")
        response.headers["HX-Trigger"] = json.dumps(
            {"toast": {"message": message, "kind": "exito"}, "ot-cambios": True}
        )
        return response
    return go(url_for("orders.detalle", ot_id=ot_id), message)


# --------------------------------------------------------------------------- form helpers (fragments)


@bp.get("/form/sitio")
def form_sitio():
    """Site fields for the chosen front (land: yard; offshore: vessel, platform, intercom, yard phase)."""
    vals = request.args.to_dict()
    return render_template(
        "orders/_sitio.html",
        vals=vals,
        errores={},
        cats=catalog_options("embarcaciones", "plataformas", "intercoms", "patios"),
    )


@bp.get("/form/principal")
def form_principal():
    """The initial-OT picker, shown only for a reprogrammed OT."""
    vals = request.args.to_dict()
    reprogramada = vals.get("id_tipo") == str(TipoId.REPROGRAMADA)
    iniciales = lookups.initial_orders(vals.get("principal_buscar", "")) if reprogramada else []
    return render_template("orders/_principal.html", vals=vals, errores={}, iniciales=iniciales)


@bp.get("/form/folio")
def form_folio():
    """Checked when the folio field is left: is it free among the initial OTs?"""
    folio = request.args.get("orden_trabajo", "").strip()
    if not folio or request.args.get("id_tipo", str(TipoId.INICIAL)) != str(TipoId.INICIAL):
        return ""
    exclude = id_or_none(request.args.get("id"))
    return render_template("orders/_folio_check.html", taken=read.folio_taken(folio, exclude))


@bp.get("/buscar/ptes")
def buscar_ptes():
    return render_template(
        "orders/_pte_options.html", ptes=lookups.approved_ptes(request.args.get("pte_buscar", ""))
    )


@bp.get("/buscar/ptes-filtro")
def buscar_ptes_filtro():
    """Suggestions for the list's PTE filter: any live PTE whose oficio contains the text (never
    in the history: the box says hx-push-url="false", the list's form pushes the filter itself)."""
    return render_template(
        "orders/_pte_filter_options.html", ptes=lookups.live_ptes(request.args.get("pte", ""))
    )


@bp.get("/buscar/iniciales")
def buscar_iniciales():
    return render_template(
        "orders/_inicial_options.html",
        iniciales=lookups.initial_orders(request.args.get("principal_buscar", "")),
    )


# --------------------------------------------------------------------------- status (issue 13)


def _status_form(ot, vals=None, errores=None, general=None, status=200, volver=None):
    return render_template(
        "orders/_estatus.html",
        ot=ot,
        vals=vals or {},
        errores=errores or {},
        general=general,
        volver=volver or url_for("orders.detalle", ot_id=ot.id),
        today=office_today().isoformat(),
        estatus=catalog_options("estatus_ot")["estatus_ot"],
        f_estatus=OTStatusForm.specs(),
    ), status


def _back(url: str | None, ot_id: int) -> str:
    """Where a status change returns: a path of this site (never another host), else the OT."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return url_for("orders.detalle", ot_id=ot_id)


@bp.get("/<int:ot_id>/estatus")
@requires_role("editor")
def estatus_form(ot_id: int):
    ot = read.get_order(ot_id)
    return _status_form(ot, volver=_back(request.args.get("volver"), ot_id))


@bp.post("/<int:ot_id>/estatus")
@requires_role("editor")
def estatus(ot_id: int):
    ot = read.get_order(ot_id)
    formdata = MultiDict(request.form)
    formdata["id"] = str(ot_id)  # the OT is the one in the URL
    volver = _back(request.form.get("volver"), ot_id)
    vals = request.form.to_dict()
    form = OTStatusForm(formdata=formdata)
    if not form.validate():
        return _status_form(ot, vals, form.first_errors(), status=422, volver=volver)
    try:
        result = commands.change_status(form.present_values(), current_user)
    except ValidationFailed as err:
        return _status_form(ot, vals, err.errores, status=422, volver=volver)
    except ServiceError as err:
        db.session.rollback()
        return _status_form(
            read.get_order(ot_id),
            vals,
            general=err.detalles,
            status=err.status if err.status in (409, 422) else 422,
            volver=volver,
        )
    return go(volver, result.mensaje, result.tipo_aviso)


# --------------------------------------------------------------------------- step deliverable file


@bp.get("/paso/<int:paso_id>/archivo")
def paso_archivo_descargar(paso_id: int):
    try:
        stored = read.step_file(paso_id)
    except ServiceError as err:
        fail(err.status, err.detalles)
    return send_stored(stored)


@bp.post("/paso/<int:paso_id>/archivo")
@accepts_upload(steps.DELIVERABLE_MAX_BODY)
@requires_role("editor")
def paso_archivo(paso_id: int):
    try:
        result = commands.attach_step_file(paso_id, request.files.get("archivo"), current_user)
    except ServiceError as err:
        return action_error(err)
    response = make_response(_step_page(paso_id, editable=True, oob=True))
    response.headers["HX-Trigger"] = json.dumps(
        {"toast": {"message": result.detalles, "kind": "exito"}, HISTORY_CHANGED: True}
    )
    return response
