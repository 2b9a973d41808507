"""Concept catalog use cases that write: import (dry run, or confirm: all or nothing, updating the
stored catalog) and converting a PUE to ordinary. Shared by the page, the API and the command line.

What a confirmed re-import does, by key (anexo, partida, concepto normalised):
- a new key is added;
- a known key whose unit, price, tipo, FECHA SANCION or estatus changed is updated, and each
  change is logged (field: [before, after]); an inactive one that comes back is reactivated;
- an active concept missing from the file is made inactive (logged), never deleted — but only
  within what the file covers (its tipos × sub-anexos): a PUE list alone never retires the
  ordinary concepts, and a C-3 sheet alone never retires C-4;
- a PUE converted to ordinary by a person stays ordinary when a PUE list brings it again."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from .. import audit, files
from ..annexes import commands as annex_commands
from ..annexes.pipeline import analyze
from ..annexes.report import Report
from ..annexes.rules import fold, number_text
from ..extensions import db
from ..models import Concepto, ConceptoRevision, TipoConcepto, Unidad, UnidadAlias, utcnow
from ..service_errors import Conflict, NotFound, ValidationFailed
from ..transactions import write_transaction
from .kind import Catalogo, ConceptLine
from .units import alias_map, unit_ids

AREA = "catalogo"
TRACKED = ("unidad", "pu_mxn", "pu_usd", "tipo", "fecha_sancion", "estatus", "activo")


@dataclass
class Plan:
    nuevos: list[ConceptLine] = field(default_factory=list)
    cambiados: list[tuple[Concepto, dict, dict]] = field(default_factory=list)  # concept, values, logged
    sin_cambio: int = 0
    desactivados: list[Concepto] = field(default_factory=list)

    def summary(self, confirmed: bool) -> str:
        counts = (
            f"{len(self.nuevos)} nuevos, {len(self.cambiados)} con cambios, "
            f"{len(self.desactivados)} pasan a inactivos, {self.sin_cambio} sin cambio"
        )
        if confirmed:
            return f"Catálogo de conceptos actualizado: {counts}."
        return f"Sin errores: al confirmar, {counts}."


def _values(line: ConceptLine, ids: dict[str, int]) -> dict:
    return {
        "anexo": line.anexo,
        "partida": line.partida,
        "concepto": line.concepto,
        "unidad": line.unidad,
        "id_unidad": ids.get(line.clave_unidad),
        "pu_mxn": line.pu_mxn,
        "pu_usd": line.pu_usd,
        "tipo": line.tipo,
        "fecha_sancion": line.fecha_sancion,
        "estatus": line.estatus,
        "capitulo": line.capitulo,
        "subencabezado": line.subencabezado,
        "hoja": line.hoja,
        "fila": line.fila,
        "activo": True,
    }


def _logged(value):
    """A value as the log keeps it, and as two values compare (4125.5300 is 4125.53)."""
    if isinstance(value, Decimal):
        return number_text(value)
    return str(value) if value is not None and not isinstance(value, (bool, str)) else value


def plan(lines: list[ConceptLine]) -> Plan:
    """What confirming these lines would do to the stored catalog."""
    ids = unit_ids()
    existing = {c.clave: c for c in db.session.scalars(select(Concepto))}
    out = Plan()
    in_file = set()
    scope = {(line.tipo, line.anexo.strip().upper()) for line in lines}
    for line in lines:
        clave = annex_commands.key_hash(line)
        in_file.add(clave)
        concept = existing.get(clave)
        values = _values(line, ids)
        if concept is None:
            out.nuevos.append(line)
            continue
        if concept.convertido_en is not None and line.tipo == TipoConcepto.PUE:
            values["tipo"] = concept.tipo  # converted by a person: kept ordinary
        changes = {
            name: [_logged(getattr(concept, name)), _logged(values[name])]
            for name in TRACKED
            if _logged(getattr(concept, name)) != _logged(values[name])
        }
        if changes:
            out.cambiados.append((concept, values, changes))
        else:
            out.sin_cambio += 1
    for clave, concept in existing.items():
        if clave not in in_file and concept.activo and (concept.tipo, concept.anexo.strip().upper()) in scope:
            out.desactivados.append(concept)
    return out


def import_catalog(storage, confirmar: bool, actor) -> Report:
    """The report of the file; with `confirmar` and no error, the catalog updated (see above) in
    one transaction, the file kept, and the changes logged."""
    bounds = annex_commands.limits()
    try:
        upload = files.read_upload(storage, max_bytes=bounds.max_bytes)
    except files.UploadRefused as err:
        report = Report(Catalogo.tipo, getattr(storage, "filename", None) or "", "")
        report.error(None, None, None, err.detalles, hoja=None)
        return report
    report = analyze(upload.nombre, upload.data, Catalogo.tipo, bounds, reference={"aliases": alias_map()})
    if not report.ok:
        return report
    report.resumen = plan(report.lines).summary(confirmed=False)
    if confirmar:
        stored = files.store_upload(upload, area=AREA)
        try:
            todo, report.revision = _store(report, stored, actor)
        except IntegrityError as exc:  # two confirms took the same revision number: one waits
            raise Conflict(
                "Otra persona importó el catálogo al mismo tiempo. Revise el catálogo e inténtelo de nuevo."
            ) from exc
        report.resumen = todo.summary(confirmed=True)
        report.confirmado = True
    return report


def _store(report: Report, stored: files.StoredFile, actor) -> tuple[Plan, int]:
    with write_transaction() as session:
        # The plan again inside the transaction: what it changes is what is stored now.
        todo = plan(report.lines)
        n = (session.scalar(select(func.max(ConceptoRevision.n))) or 0) + 1
        session.add(
            ConceptoRevision(
                n=n,
                id_usuario=getattr(actor, "id", None),
                usuario=getattr(actor, "username", "") or "sistema",
                **ConceptoRevision.archivo_de(stored),
                formato=report.formato or "",
                renglones=len(report.lines),
                nuevos=len(todo.nuevos),
                cambiados=len(todo.cambiados),
                desactivados=len(todo.desactivados),
                sin_cambio=todo.sin_cambio,
            )
        )
        ids = unit_ids()
        now = utcnow()
        user_id = getattr(actor, "id", None)
        if todo.nuevos:
            # One executemany: a contract's catalog has thousands of concepts.
            session.execute(
                insert(Concepto),
                [
                    {
                        **_values(line, ids),
                        "clave": annex_commands.key_hash(line),
                        "created_at": now,
                        "updated_by": user_id,
                    }
                    for line in todo.nuevos
                ],
            )
        for concept, values, changes in todo.cambiados:
            for name, value in values.items():
                setattr(concept, name, value)
            concept.updated_at, concept.updated_by = now, user_id
            audit.log(actor, "actualizar_concepto", "concepto", concept.id, changes)
        for concept in todo.desactivados:
            concept.activo = False
            concept.updated_at, concept.updated_by = now, user_id
            audit.log(actor, "desactivar_concepto", "concepto", concept.id, {"activo": [True, False]})
        audit.log(
            actor,
            "importar_catalogo",
            "catalogo_conceptos",
            None,
            {
                "revision": [None, n],
                "archivo": [None, f"{stored.nombre} ({stored.tamano} bytes, sha256 {stored.sha256})"],
                "nuevos": [None, len(todo.nuevos)],
                "cambiados": [None, len(todo.cambiados)],
                "desactivados": [None, len(todo.desactivados)],
            },
        )
    return todo, n


def convert_to_ordinary(concept_id: int, actor) -> Concepto:
    """A PUE concept becomes ordinary (its price is now the contract's); logged."""
    with write_transaction() as session:
        concept = session.get(Concepto, concept_id)
        if concept is None:
            raise NotFound(f"No existe el concepto con ID {concept_id}.")
        if concept.tipo != TipoConcepto.PUE:
            raise Conflict("El concepto ya es ordinario.")
        if not concept.activo:
            raise Conflict("El concepto está inactivo: no se convierte.")
        concept.tipo = TipoConcepto.ORDINARIO.value
        concept.convertido_en = concept.updated_at = utcnow()
        concept.updated_by = getattr(actor, "id", None)
        audit.log(
            actor,
            "convertir_concepto",
            "concepto",
            concept.id,
            {"tipo": [TipoConcepto.PUE.value, TipoConcepto.ORDINARIO.value]},
        )
    return concept


# --- the units catalog ---------------------------------------------------------------------------


def save_unit(clave: str, nombre: str | None, alias: str | None, actor) -> Unidad:
    """A new unit, or new spellings (and name) for an existing clave; each spelling folded, and a
    spelling already meaning another unit is refused beside its field. Logged."""
    key = fold(clave)
    if not key:
        raise ValidationFailed.from_errors({"clave": "La clave necesita letras o números."})
    spellings = [s for s in (a.strip() for a in (alias or "").split(",")) if s]
    with write_transaction() as session:
        unit = session.scalar(select(Unidad).where(Unidad.clave == key))
        owners = dict(session.execute(select(UnidadAlias.alias, Unidad.clave).join(Unidad)).all())
        if unit is None and key in owners:
            raise ValidationFailed.from_errors(
                {"clave": f"«{clave}» ya se escribe así para la unidad {owners[key]}."}
            )
        new_aliases = []
        for spelling in [key, *spellings]:
            folded = fold(spelling)
            if not folded or folded in new_aliases:
                continue
            owner = owners.get(folded)
            if owner is not None and owner != key:
                raise ValidationFailed.from_errors({"alias": f"«{spelling}» ya es de la unidad {owner}."})
            if owner is None:
                new_aliases.append(folded)
        if unit is None:
            unit = Unidad(clave=key, nombre=(nombre or clave).strip()[:40], activo=True)
            session.add(unit)
            accion, cambios = "crear", {"clave": [None, key], "nombre": [None, unit.nombre]}
        else:
            accion, cambios = "editar", {}
            if nombre and nombre.strip() != unit.nombre:
                cambios["nombre"] = [unit.nombre, nombre.strip()]
                unit.nombre = nombre.strip()
        for folded in new_aliases:
            unit.alias.append(UnidadAlias(alias=folded))
        if new_aliases:
            cambios["alias"] = [None, ", ".join(new_aliases)]
        session.flush()
        if cambios:
            audit.log(actor, accion, "unidad", unit.id, cambios)
    return unit


def set_unit_active(unit_id: int, activo: bool, actor) -> Unidad:
    """Soft delete: an inactive unit no longer normalises spellings (they compare as written)."""
    with write_transaction() as session:
        unit = session.get(Unidad, unit_id)
        if unit is None:
            raise NotFound(f"No existe la unidad con ID {unit_id}.")
        if unit.activo != activo:
            audit.log(actor, "editar", "unidad", unit.id, {"activo": [unit.activo, activo]})
            unit.activo = activo
    return unit
