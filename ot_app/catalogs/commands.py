"""Catalog writes: simple catalogs (one data-driven set of rules for all), step templates and the
step-set rules. Every write is one transaction with its activity-log row; reads are in read.py."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from .. import audit
from ..extensions import db
from ..models import Cliente, TipoDocumento
from ..schedules import bookings
from ..service_errors import NotFound, ServiceError, ValidationFailed
from ..transactions import write_transaction
from .read import describe_usage, normalize, usage
from .registry import STEP_KINDS, Catalogo, get_catalogo


def _editable(slug: str) -> Catalogo:
    cat = get_catalogo(slug)
    if not cat.editable:
        raise ServiceError(
            f"El catálogo {cat.titulo} es fijo: las reglas de la aplicación dependen de él.", status=403
        )
    return cat


def _check_nombre(cat: Catalogo, nombre: str, exclude_id: int | None = None) -> str:
    """The name as stored (spaces collapsed), refused when another row has it in any case. That it
    is given and how long it may be is the form's (forms.CatalogRowForm)."""
    nombre = normalize(nombre)
    model = cat.model
    clash = db.session.execute(
        select(model.id, model.nombre).where(
            func.lower(model.nombre) == nombre.lower(), model.id != (exclude_id or 0)
        )
    ).first()
    if clash:
        raise ValidationFailed.from_errors(
            {
                "nombre": f"Ya existe {'una' if cat.femenino else 'un'} {cat.singular} «{clash[1]}» (ID {clash[0]})."
            }
        )
    return nombre


def create_row(slug: str, nombre: str, actor) -> object:
    cat = _editable(slug)
    with write_transaction():
        row = cat.model(nombre=_check_nombre(cat, nombre), activo=True)
        db.session.add(row)
        db.session.flush()
        audit.log(actor, "crear", cat.slug, row.id, {"nombre": [None, row.nombre], "activo": [None, True]})
    return row


SITE_SETTINGS = ("capacidad", "exclusivo", "movilizacion_dias")


def update_row(slug: str, row_id: int, values: dict, actor) -> object:
    """Rename, (de)activate and, for a site, its capacity, exclusivity and mobilisation gap: the
    keys of `values` that are present (the edit form is partial)."""
    cat = _editable(slug)
    fields = ("nombre", "activo", *(SITE_SETTINGS if cat.sitio else ()))
    with write_transaction():
        row = db.session.get(cat.model, row_id)
        if row is None:
            raise NotFound(f"No existe {'la' if cat.femenino else 'el'} {cat.singular} con ID {row_id}.")
        before = {name: getattr(row, name) for name in fields}
        if values.get("nombre") is not None:
            row.nombre = _check_nombre(cat, values["nombre"], exclude_id=row.id)
        for name in fields[1:]:
            if values.get(name) is not None:
                setattr(row, name, values[name])
        if cat.sitio and any(getattr(row, n) != before[n] for n in SITE_SETTINGS):
            db.session.flush()
            bookings.site_changed(cat.model, row)
        cambios = audit.diff(before, {name: getattr(row, name) for name in fields})
        if cambios:
            audit.log(actor, "editar", cat.slug, row.id, cambios)
    return row


def delete_row(slug: str, row_id: int, actor) -> str:
    """Only an unused row is deleted; a used one must be deactivated, and the message says why."""
    cat = _editable(slug)
    with write_transaction():
        row = db.session.get(cat.model, row_id)
        if row is None:
            raise NotFound(f"No existe {'la' if cat.femenino else 'el'} {cat.singular} con ID {row_id}.")
        usos = usage(cat.model, row.id)
        if usos:
            raise ServiceError(
                f"«{row.nombre}» no se puede eliminar porque lo usan {describe_usage(usos)}. "
                "Desactívelo para que no se ofrezca en formularios nuevos.",
                status=409,
            )
        nombre = row.nombre
        db.session.delete(row)
        audit.log(actor, "eliminar", cat.slug, row_id, {"nombre": [nombre, None]})
    return nombre


# --------------------------------------------------------------------------- step templates


def create_step(
    step_set: int, descripcion: str, actor, kind: str = "ot", peso=None, orden=None, id_padre=None
) -> object:
    """A new active template at the end of the set (forms.StepForm checks the text, StepSetForm the
    set). A PTE template may go under another step of its set (one level: a sub-step has none)."""
    k = STEP_KINDS[kind]
    with write_transaction():
        paso = k.template(descripcion=normalize(descripcion), tipo=step_set, activo=True, peso=peso or 1)
        cambios = {"descripcion": [None, paso.descripcion], "tipo": [None, step_set]}
        if k.substeps:
            if id_padre:
                padre = db.session.get(k.template, id_padre)
                if padre is None or padre.tipo != step_set or padre.id_padre is not None:
                    raise ValidationFailed.from_errors(
                        {"id_padre": f"El paso {id_padre} no es un paso principal del conjunto {step_set}."}
                    )
                paso.id_padre = id_padre
                cambios["id_padre"] = [None, id_padre]
            last = db.session.scalar(
                select(func.max(k.template.orden)).where(
                    k.template.tipo == step_set,
                    k.template.id_padre == id_padre if id_padre else k.template.id_padre.is_(None),
                )
            )
            paso.orden = orden if orden is not None else (last or 0) + 10
            cambios["orden"] = [None, paso.orden]
        db.session.add(paso)
        db.session.flush()
        audit.log(actor, "crear", k.entidad, paso.id, cambios)
    return paso


def update_step(
    paso_id: int, descripcion: str | None, activo: bool | None, actor, kind: str = "ot", peso=None, orden=None
) -> object:
    k = STEP_KINDS[kind]
    with write_transaction():
        paso = db.session.get(k.template, paso_id)
        if paso is None:
            raise NotFound(f"No existe el paso con ID {paso_id}.")
        fields = ["descripcion", "activo", "peso", *(["orden"] if k.substeps else [])]
        before = {name: getattr(paso, name) for name in fields}
        if descripcion is not None:
            paso.descripcion = normalize(descripcion)
        if activo is not None:
            paso.activo = bool(activo)
        if peso is not None:
            paso.peso = peso
        if orden is not None and k.substeps:
            paso.orden = orden
        cambios = audit.diff(before, {name: getattr(paso, name) for name in fields})
        if cambios:
            audit.log(actor, "editar", k.entidad, paso.id, cambios)
    return paso


# --------------------------------------------------------------------------- step-set rules


def _check_rule(id_tipo, id_cliente, tipo_paso, exclude_id=None, kind: str = "ot") -> dict:
    """The tipo and client exist and no other rule has that pair (forms.RuleForm checks the shapes).
    A PTE rule has no tipo: one per client, and one for any client."""
    rule = STEP_KINDS[kind].rule
    errors = {}
    if kind == "ot" and db.session.get(TipoDocumento, id_tipo or 0) is None:
        errors["id_tipo"] = f"El tipo de OT con ID {id_tipo} no existe."
    if id_cliente is not None and db.session.get(Cliente, id_cliente) is None:
        errors["id_cliente"] = f"El cliente con ID {id_cliente} no existe."
    if not errors:
        same = [
            rule.id_cliente.is_(None) if id_cliente is None else rule.id_cliente == id_cliente,
            rule.id != (exclude_id or 0),
        ]
        if kind == "ot":
            same.append(rule.id_tipo == id_tipo)
        clash = db.session.scalar(select(rule.id).where(*same))
        if clash:
            errors["id_cliente"] = (
                "Ya hay una regla para ese tipo y ese cliente: edítela."
                if kind == "ot"
                else "Ya hay una regla para ese cliente: edítela."
            )
    if errors:
        raise ValidationFailed.from_errors(errors)
    values = {"id_cliente": id_cliente, "tipo_paso": tipo_paso}
    return {"id_tipo": id_tipo, **values} if kind == "ot" else values


def save_rule(rule_id: int | None, id_tipo, id_cliente, tipo_paso, actor, kind: str = "ot") -> object:
    k = STEP_KINDS[kind]
    entidad = k.entidad_regla
    with write_transaction():
        values = _check_rule(id_tipo, id_cliente, tipo_paso, exclude_id=rule_id, kind=kind)
        if rule_id:
            rule = db.session.get(k.rule, rule_id)
            if rule is None:
                raise NotFound(f"No existe la regla con ID {rule_id}.")
            before = {key: getattr(rule, key) for key in values}
        else:
            rule = k.rule()
            db.session.add(rule)
            before = {}
        for key, value in values.items():
            setattr(rule, key, value)
        db.session.flush()
        cambios = audit.diff(before, values)
        if cambios:
            audit.log(actor, "editar" if before else "crear", entidad, rule.id, cambios)
    return rule


def delete_rule(rule_id: int, actor, kind: str = "ot") -> None:
    k = STEP_KINDS[kind]
    entidad = k.entidad_regla
    with write_transaction():
        rule = db.session.get(k.rule, rule_id)
        if rule is None:
            raise NotFound(f"No existe la regla con ID {rule_id}.")
        before = {"id_cliente": rule.id_cliente, "tipo_paso": rule.tipo_paso}
        if kind == "ot":
            before = {"id_tipo": rule.id_tipo, **before}
        db.session.execute(delete(k.rule).where(k.rule.id == rule_id))
        audit.log(actor, "eliminar", entidad, rule_id, audit.diff(before, dict.fromkeys(before)))
