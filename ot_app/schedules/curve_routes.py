"""The OT page's Avance section (the last cut-off's figures, the cut-off grid, the S-curve and its
table) and the portfolio S-curve page (/curva-s). Parse, call cortes / curves, render."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request, url_for
from flask_login import current_user

from ..auth.security import requires_role
from ..catalogs import read as catalogs_read
from ..exports import Column, download, export_format
from ..fields import parse_id
from ..models import OTE
from ..orders import read as orders_read
from ..service_errors import ServiceError, ValidationFailed
from ..views import render, toast_header, wants_fragment
from . import cortes, curves
from .chart import chart
from .corte_forms import CorteForm, avances_of
from .spread import MONEDAS, PERIODOS, pct

bp = Blueprint("curves", __name__)

SITIOS = (("embarcacion", "embarcaciones"), ("plataforma", "plataformas"), ("patio", "patios"))


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    value = (request.args.get(name) or allowed[0]).strip().lower()
    return value if value in allowed else allowed[0]  # a page falls back; the API says 400


def _view() -> tuple[str, str]:
    return _choice("moneda", MONEDAS), _choice("periodo", PERIODOS)


def _ot_curve_context(ot: OTE, moneda: str, periodo: str) -> dict:
    curva = curves.ot_curve(ot, moneda, periodo)
    return {
        "curva": curva,
        "grafica": chart(curva),
        "curva_url": url_for("curves.ot_curva", ot_id=ot.id),
        "exportar_url": url_for("curves.ot_exportar", ot_id=ot.id, moneda=moneda, periodo=periodo),
        "filtros": {},
        "titulo": f"Curva S de {ot.orden_trabajo}",
    }


def _tab_context(
    ot: OTE, errors: dict | None = None, typed: dict | None = None, form: dict | None = None
) -> dict:
    revision = cortes.last_revision(ot.id)
    acts = cortes.activities_of(revision.id) if revision else []
    history = cortes.cuts_of(ot.id)
    previous = cortes.previous_values(history[0] if history else None)
    moneda, periodo = _view()
    editable = current_user.puede("editor") and not ot.eliminada and ot.vigente
    return {
        "ot": ot,
        "revision": revision,
        "actividades": acts,
        "cortes": history,
        "ultimo": history[0] if history else None,
        "anteriores": previous,
        "errores": errors or {},
        "capturado": typed or {},
        "forma": form or {"fecha_corte": cortes.suggested_date().isoformat(), "comentario": ""},
        "editable": editable,
        "pct": pct,
        **_ot_curve_context(ot, moneda, periodo),
    }


@bp.get("/ot/<int:ot_id>/avance")
def avance(ot_id: int):
    """The Avance section's content, loaded by the OT page (and again after a cut-off)."""
    ot = orders_read.get_order(ot_id)
    response = make_response(render_template("schedules/_avance.html", **_tab_context(ot)))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.get("/ot/<int:ot_id>/avance/curva")
def ot_curva(ot_id: int):
    """The OT's S-curve alone, in another currency or period (the switches)."""
    ot = orders_read.get_order(ot_id)
    response = make_response(render_template("schedules/_curva.html", **_ot_curve_context(ot, *_view())))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.post("/ot/<int:ot_id>/corte")
@requires_role("editor")
def corte(ot_id: int):
    """Record a cut-off from the grid: the section again with the new figures, or the grid with the
    messages beside each field (422)."""
    form = CorteForm(formdata=request.form)
    typed = avances_of(request.form)
    raw = {
        "fecha_corte": request.form.get("fecha_corte", ""),
        "comentario": request.form.get("comentario", ""),
    }
    ot = orders_read.get_order(ot_id)
    try:
        if not form.validate():
            errors = {k: v for k, v in form.first_errors().items() if k != "id"}
            if errors:
                raise ValidationFailed.from_errors(errors)
        values = form.present_values()
        done = cortes.record_cut(
            ot_id, values["fecha_corte"], typed, current_user, values.get("comentario") or ""
        )
    except ServiceError as err:
        ot = orders_read.get_order(ot_id)
        context = _tab_context(ot, err.errores or {"fecha_corte": err.detalles}, typed, raw)
        response = make_response(render_template("schedules/_avance.html", **context), 422)
        response.headers["HX-Trigger"] = toast_header(err.detalles, "error")
        return response
    ot = orders_read.get_order(ot_id)
    response = make_response(render_template("schedules/_avance.html", **_tab_context(ot)))
    response.headers["HX-Trigger"] = toast_header(done.detalles)
    return response


COLUMNS = [
    Column("Periodo", ancho=12),
    Column("Planeado %", "numero"),
    Column("Planeado versión 1 %", "numero"),
    Column("Real %", "numero"),
]


def _rows(curva):
    from decimal import Decimal

    num = lambda v: None if v is None else Decimal(v)  # noqa: E731
    return ([p.periodo, num(p.planeado), num(p.planeado_v1), num(p.real)] for p in curva.puntos)


@bp.get("/ot/<int:ot_id>/avance/exportar")
def ot_exportar(ot_id: int):
    """The OT's S-curve table as xlsx (or CSV)."""
    ot = orders_read.get_order(ot_id)
    moneda, periodo = _view()
    formato = export_format(request.args)
    curva = curves.ot_curve(ot, moneda, periodo)
    return download(f"curva-s-{ot.id}-{moneda}-{periodo}", formato, "Curva S", COLUMNS, _rows(curva))


def _filtro() -> tuple[curves.Filtro, dict]:
    """The portfolio's filters from the query string (an unknown value is no filter)."""
    id_cliente = _safe_id(request.args.get("id_cliente"))
    sitio = (request.args.get("sitio") or "").strip()
    try:
        filtro = curves.site_filter(sitio)
    except ValueError:
        filtro, sitio = curves.Filtro(), ""
    filtro = curves.Filtro(id_cliente, filtro.id_embarcacion, filtro.id_plataforma, filtro.id_patio)
    return filtro, {"id_cliente": id_cliente or "", "sitio": sitio}


def _safe_id(raw):
    try:
        return parse_id(raw) if raw else None
    except ValueError:
        return None


@bp.get("/curva-s")
def cartera():
    """The portfolio S-curve: every chain's current version, by amount, filtered by client and site."""
    filtro, filtros = _filtro()
    moneda, periodo = _view()
    curva = curves.portfolio_curve(filtro, moneda, periodo)
    context = {
        "curva": curva,
        "grafica": chart(curva),
        "curva_url": url_for("curves.cartera"),
        "exportar_url": url_for("curves.cartera_exportar", moneda=moneda, periodo=periodo, **filtros),
        "filtros": filtros,
        "titulo": "Curva S de la cartera",
        "sitios": SITIOS,
    }
    if not wants_fragment():  # the filters' options are the page's, not the curve's
        context["catalogos"] = catalogs_read.options("clientes", *(plural for _, plural in SITIOS))
    return render("schedules/curva_s.html", "schedules/_curva.html", **context)


@bp.get("/curva-s/exportar")
def cartera_exportar():
    filtro, _ = _filtro()
    moneda, periodo = _view()
    formato = export_format(request.args)
    curva = curves.portfolio_curve(filtro, moneda, periodo)
    return download(f"curva-s-cartera-{moneda}-{periodo}", formato, "Curva S", COLUMNS, _rows(curva))
