"""Jinja filters: money, dates and labels as a Mexican office reads them."""

from markupsafe import Markup, escape

from .formatting import fecha, money
from .models import FIXED_IDS, EstatusOTId

ESTATUS_OT_CLASS = {
    EstatusOTId.PROGRAMADA: "badge-info",
    EstatusOTId.EN_EJECUCION: "badge-ok",
    EstatusOTId.SUSPENDIDA: "badge-warn",
    EstatusOTId.TERMINADA: "",
    EstatusOTId.CANCELADA: "badge-err",
}


def estatus_badge(id_estatus_ot, nombre) -> Markup:
    """The OT status as a coloured badge. Python, not a macro: it runs 50 times per list page."""
    return Markup(  # noqa: S704 - the only text is escaped; the class comes from our own table
        f'<span class="badge {ESTATUS_OT_CLASS.get(id_estatus_ot, "")}">{escape(nombre or "—")}</span>'
    )


def progress_bar(done, total) -> Markup:
    done, total = int(done or 0), int(total or 0)
    pct = round(100 * done / total) if total else 0
    return Markup(  # noqa: S704 - only integers go in
        f'<span class="progress" title="{done} de {total} pasos completados ({pct} %)">'
        f'<progress value="{done}" max="{total or 1}" aria-label="Avance de pasos">{pct} %</progress>'
        f"<small>{done}/{total}</small></span>"
    )


def register_templating(app):
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["fecha"] = fecha
    app.jinja_env.globals.update(estatus_badge=estatus_badge, progress_bar=progress_bar)
    # The fixed ids by name: a template compares `ot.id_tipo == TipoId.REPROGRAMADA`, never 5.
    app.jinja_env.globals.update({enum.__name__: enum for enum in FIXED_IDS})
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
