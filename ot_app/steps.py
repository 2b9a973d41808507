"""Checklist steps, OT and PTE alike: the one set of rules for a step's status, dates and
deliverable (the Completado stamp, término ≥ inicio, entrega ≥ inicio, a log entry per field), and
the progress sums every list, page and API answer use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import case, func
from sqlalchemy.orm import joinedload

from . import audit
from .audit import plain
from .extensions import db
from .formatting import office_today
from .models import EstatusPasoId, utcnow
from .service_errors import NotFound, ValidationFailed
from .transactions import write_transaction

# A step in one of these no longer waits for anything (a parent with sub-steps completes then).
CLOSED = (EstatusPasoId.COMPLETADO, EstatusPasoId.NO_APLICA)

# Request names of a step's fields besides its status, with how the log names them.
FIELDS = {
    "fecha_inicio": "fecha de inicio",
    "fecha_termino": "fecha de término",
    "fecha_entrega": "fecha de entrega",
    "entregable_url": "entregable",
    "comentario": "comentario",
}
WRITABLE = ("estatus_paso", *FIELDS)


def progress_sums(status, weight=1):
    """Weighted progress, defined once: the weight of the COMPLETADO steps over the weight of every
    step but NO_APLICA. SQL aggregates (grouped in the lists, a window on a page)."""
    done = func.sum(case((status == EstatusPasoId.COMPLETADO, weight), else_=0))
    applicable = func.sum(case((status != EstatusPasoId.NO_APLICA, weight), else_=0))
    return done, applicable


def apply_changes(detalle, values: dict, label: str, names: dict[int, str], today=None) -> dict:
    """Apply the step fields present in `values` (typed, from the step form) to `detalle` (an
    OTDetalle or PTEDetalle) and return the log's {"<label>: <field>": [old, new]}.

    Entering Completado stamps the delivery date when it is empty (today); leaving Completado
    clears the date that stamp made (not one a person typed). Dates are checked together with the
    stored ones: término and entrega not before inicio."""
    today = today or office_today()
    before = {name: getattr(detalle, name) for name in (*FIELDS, "estatus_paso")}
    for name in FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "comentario":
            value = value or ""
        elif name == "entregable_url":
            value = (value or "").strip() or None
        setattr(detalle, name, value)
        if name == "fecha_entrega" and value != before[name]:
            detalle.entrega_auto = False  # typed by a person: a status change leaves it alone
    nuevo = values.get("estatus_paso")
    if nuevo and nuevo != before["estatus_paso"]:
        detalle.estatus_paso = nuevo
        if nuevo == EstatusPasoId.COMPLETADO and detalle.fecha_entrega is None:
            detalle.fecha_entrega = today
            detalle.entrega_auto = True
        elif before["estatus_paso"] == EstatusPasoId.COMPLETADO and detalle.entrega_auto:
            detalle.fecha_entrega = None
            detalle.entrega_auto = False
    check_dates(detalle)
    cambios = {}
    if detalle.estatus_paso != before["estatus_paso"]:
        cambios[f"{label}: estatus"] = [names.get(before["estatus_paso"]), names.get(detalle.estatus_paso)]
    for name, words in FIELDS.items():
        old, new = plain(before[name]), plain(getattr(detalle, name))
        if name == "comentario":
            old, new = old or "", new or ""
        if old != new:
            cambios[f"{label}: {words}"] = [old, new]
    return cambios


def require_change(values: dict) -> None:
    """An API step edit names its step and says something to change (a page's buttons always do)."""
    if "id" not in values:
        raise ValidationFailed("ID del paso no proporcionado", {"id": "ID del paso no proporcionado"})
    if values.get("estatus_paso") is None and not any(name in values for name in FIELDS):
        raise ValidationFailed(
            "Indique el estatus del paso, su comentario, sus fechas o su entregable.",
            {"estatus_paso": "Indique el estatus del paso."},
        )


def check_dates(detalle) -> None:
    inicio = detalle.fecha_inicio
    errors = {}
    if inicio and detalle.fecha_termino and detalle.fecha_termino < inicio:
        errors["fecha_termino"] = "La fecha de término del paso no puede ser anterior a la de inicio."
    if inicio and detalle.fecha_entrega and detalle.fecha_entrega < inicio:
        errors["fecha_entrega"] = "La fecha de entrega del paso no puede ser anterior a la de inicio."
    if errors:
        raise ValidationFailed.from_errors(errors)


# --------------------------------------------------------------------------- deliverable files

# What a deliverable may be, judged by content (ot_app.files.sniff): documents, images, archives.
DELIVERABLE_TYPES = frozenset({"pdf", "png", "jpeg", "gif", "webp", "xlsx", "docx", "zip"})
DELIVERABLE_MAX_BYTES = 10 * 1024 * 1024
# The request may carry the file plus its multipart envelope and the other fields.
DELIVERABLE_MAX_BODY = DELIVERABLE_MAX_BYTES + 64 * 1024
FILE_AREA = "entregables"


def save_deliverable(storage):
    """Check and store an uploaded deliverable (refused, with its Spanish message beside the field
    `archivo`, when empty, too large, of a type not allowed or named with a path)."""
    from .files import save_upload

    return save_upload(storage, allowed=DELIVERABLE_TYPES, max_bytes=DELIVERABLE_MAX_BYTES, area=FILE_AREA)


def attach(detalle, stored, label: str) -> dict:
    """Put a stored file (files.StoredFile) on a step as its deliverable; the log's change."""
    before = detalle.archivo_nombre
    detalle.archivo_nombre = stored.nombre
    detalle.archivo_tamano = stored.tamano
    detalle.archivo_sha256 = stored.sha256
    detalle.archivo_tipo = stored.tipo
    detalle.archivo_ruta = stored.ruta
    return {f"{label}: archivo": [before, f"{stored.nombre} ({stored.tamano:,} bytes, {stored.sha256[:12]})"]}


def stored_of(detalle):
    """The step's uploaded deliverable as files.StoredFile, or None."""
    from .files import StoredFile

    if detalle is None or not detalle.archivo_ruta:
        raise NotFound("Este paso no tiene archivo entregable.")
    return StoredFile(
        detalle.archivo_nombre,
        detalle.archivo_tamano or 0,
        detalle.archivo_sha256 or "",
        detalle.archivo_tipo or "",
        detalle.archivo_ruta,
    )


# --------------------------------------------------------------------------- one step's write


@dataclass(frozen=True)
class Checklist:
    """Where a checklist's steps live: OT steps (area "ot") and PTE steps (area "pte") differ only
    in these, so opening a step for a write, stamping it and attaching a file exist once here."""

    area: str  # the audit log's area and the URL prefix
    detail: type  # OTDetalle | PTEDetalle
    parent: type  # OTE | PTEHeader
    parent_id: str  # the detail's column naming its parent
    guard: Callable  # raises when the parent may not be written (and takes its lock)


def open_step(checklist: Checklist, paso_id):
    """Inside a write transaction: the step (with its catalog step) and its parent, once the
    parent's guard allows writing. A missing id is a 422 beside `id`, an unknown one a 404."""
    if not paso_id:
        raise ValidationFailed("ID del paso no proporcionado", {"id": "ID del paso no proporcionado"})
    detalle = db.session.get(checklist.detail, paso_id, options=[joinedload(checklist.detail.paso)])
    if detalle is None:
        raise NotFound(f"No existe el paso con ID {paso_id}.")
    parent = db.session.get(checklist.parent, getattr(detalle, checklist.parent_id))
    checklist.guard(parent)
    return detalle, parent


def record(checklist: Checklist, detalle, parent, cambios: dict, actor) -> None:
    """Stamp a changed step and write its audit row on its parent."""
    detalle.updated_at = utcnow()
    detalle.updated_by = getattr(actor, "id", None)
    audit.log(actor, "paso", checklist.area, parent.id, cambios)


def attach_file(checklist: Checklist, paso_id, storage, actor):
    """Upload a step's deliverable (`save_deliverable`: bounded, type by content, stored outside
    the web root) under the parent's write rules. Returns (parent, message, changes)."""
    with write_transaction():
        detalle, parent = open_step(checklist, paso_id)
        stored = save_deliverable(storage)
        cambios = attach(detalle, stored, f"Paso «{detalle.paso.descripcion}»")
        record(checklist, detalle, parent, cambios, actor)
    return parent, f"Archivo «{stored.nombre}» guardado en el paso.", cambios
