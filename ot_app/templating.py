"""Jinja filters and globals: money and dates (from formatting), status badges, step progress, and
the fixed-id enums by name."""

from typing import NamedTuple

from markupsafe import Markup, escape

from .formatting import cantidad, fecha, fecha_hora, money
from .models import FIXED_IDS, EstatusOTId, EstatusPasoId, EstatusPTEId, Registro
from .orders import baselines

ESTATUS_OT_CLASS = {
    EstatusOTId.PROGRAMADA: "badge-info",
    EstatusOTId.EN_EJECUCION: "badge-ok",
    EstatusOTId.SUSPENDIDA: "badge-warn",
    EstatusOTId.TERMINADA: "",
    EstatusOTId.CANCELADA: "badge-err",
}


def _badge(classes: dict, status_id, nombre) -> Markup:
    return Markup(  # noqa: S704 - the only text is escaped; the class comes from our own table
        f'<span class="badge {classes.get(status_id, "")}">{escape(nombre or "—")}</span>'
    )


def estatus_badge(id_estatus_ot, nombre) -> Markup:
    """The OT status as a coloured badge. Python, not a macro: it runs 50 times per list page."""
    return _badge(ESTATUS_OT_CLASS, id_estatus_ot, nombre)


ESTATUS_PTE_CLASS = {
    EstatusPTEId.EN_ELABORACION: "",
    EstatusPTEId.ENVIADA: "badge-info",
    EstatusPTEId.APROBADA: "badge-ok",
    EstatusPTEId.CANCELADA: "badge-err",
}


def estatus_pte_badge(id_estatus_pte, nombre) -> Markup:
    """The PTE status as a coloured badge (the PTE list's rows and the PTE's page)."""
    return _badge(ESTATUS_PTE_CLASS, id_estatus_pte, nombre)


REGISTRO_BADGE = {
    Registro.POR_DEFINIR: '<span class="badge badge-warn">Por definir</span>',
    Registro.ELIMINADA: '<span class="badge badge-err">Eliminada</span>',
}


def registro_badge(estatus) -> Markup:
    """A record that is not simply active says so: Por definir or Eliminada (nothing when active)."""
    return Markup(REGISTRO_BADGE.get(estatus, ""))  # noqa: S704 - fixed markup from our own table


class PasoBoton(NamedTuple):
    key: str  # the keyboard key that presses it: its position, 1 to 4
    estatus: EstatusPasoId
    value: int
    nombre: str
    slug: str


# A step's status buttons, in the order of EstatusPasoId, worked out once (12 steps × 4 per page).
PASO_BOTONES = tuple(
    PasoBoton(str(n), e, e.value, e.nombre, e.slug) for n, e in enumerate(EstatusPasoId, start=1)
)
PASO_SLUG = {b.value: b.slug for b in PASO_BOTONES}


def progress_bar(avance, detail: bool = False, compact: bool = False) -> Markup:
    """Step progress (an `orders.read.Avance`): the one markup of the list row and the OT's page.
    `compact` (the OT list, 50 a page): the bar and "2/7" only; its column header names it and
    orders.js says "2 de 7 pasos completados" as the tooltip on hover."""
    done, total, pct = int(avance.done), int(avance.total), int(avance.pct)
    if compact:
        return Markup(  # noqa: S704 - only integers go in
            f"<progress value={done} max={total or 1}>{pct} %</progress> <small>{done}/{total}</small>"
        )
    bar = f'<progress value="{done}" max="{total or 1}" aria-label="Avance de pasos">{pct} %</progress>'
    if detail:
        return Markup(  # noqa: S704 - only integers go in
            f"{bar}<span><strong>{pct} %</strong> · {done} de {total} pasos completados</span>"
        )
    return Markup(  # noqa: S704 - only integers go in
        f'<span class="progress" title="{done} de {total} pasos completados ({pct} %)">{bar}'
        f"<small>{done}/{total}</small></span>"
    )


def register_templating(app):
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["fecha"] = fecha  # dates: dd/mm/aaaa
    app.jinja_env.filters["fecha_hora"] = fecha_hora  # timestamps: dd/mm/aaaa hh:mm, office time zone
    app.jinja_env.filters["cambio"] = baselines.describe
    app.jinja_env.globals["cantidad"] = cantidad  # "1 regla de pasos", "3 reglas de pasos"
    app.jinja_env.globals.update(
        estatus_badge=estatus_badge,
        progress_bar=progress_bar,
        registro_badge=registro_badge,
        PASO_BOTONES=PASO_BOTONES,
        PASO_SLUG=PASO_SLUG,
    )
    app.jinja_env.globals["estatus_pte_badge"] = estatus_pte_badge
    # The fixed ids by name: a template compares `ot.id_tipo == TipoId.REPROGRAMADA`, never 5.
    app.jinja_env.globals.update({enum.__name__: enum for enum in FIXED_IDS})
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
