"""The shapes an OT is sent as (the seed's `obtener` datos, a version, a list row, a step): the API
sends them and the OpenAPI document publishes their schemas (see `ot_app.shapes`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from ..models import OTE
from ..shapes import IdOrEmpty, Money, Shape


@dataclass(frozen=True, slots=True)
class Reprogramacion(Shape):
    """One version of a chain (a `read.chain_of` row)."""

    id: int
    num_reprogramacion: int | None
    estatus: int
    fecha_inicio_programado: date | None
    fecha_termino_programado: date | None
    monto_mxn: Money
    monto_usd: Money


@dataclass(frozen=True, slots=True)
class Advertencia(Shape):
    """A warning on a version (`baselines.warnings`): never a block."""

    campo: Annotated[str, "El campo al que se refiere (nombre de la solicitud)."]
    mensaje: str


@dataclass(frozen=True, slots=True)
class OTDatos(Shape):
    """The seed's `obtener_datos_ot` keys, dates ISO, amounts as 2-decimal strings."""

    sources = {
        "id_tipo_id": "id_tipo",
        "estatus_ot": "id_estatus_ot",
        "responsable_proyecto": "id_responsable_proyecto",
        "id_pte_id": "id_pte_header",
    }

    id: int
    id_tipo_id: int
    id_frente: int | None
    id_embarcacion: int | None
    id_plataforma: int | None
    id_intercom: int | None
    id_cliente: int | None
    id_patio: int | None
    descripcion_tipo: str
    estatus_ot: int | None
    responsable_proyecto: Annotated[
        IdOrEmpty, "ID del responsable, o cadena vacía (como el sistema anterior)."
    ]
    responsable_cliente: str
    id_pte_id: Annotated[IdOrEmpty, "ID de la PTE padre, o cadena vacía (como el sistema anterior)."]
    pte_padre: str
    oficio_ot: str | None
    estatus: Annotated[int, "1 activa, -1 por definir, 0 eliminada."]
    orden_trabajo: str
    descripcion_trabajo: str
    fecha_inicio_programado: date | None
    fecha_inicio_real: date | None
    fecha_termino_programado: date | None
    fecha_termino_real: date | None
    comentario: str | None
    ot_principal: int | None
    num_reprogramacion: int | None
    monto_mxn: Money
    monto_usd: Money
    plazo_dias: int | None
    requiere_patio: bool
    fecha_inicio_patio: date | None
    fecha_fin_patio: date | None
    version: int
    reprogramaciones: list[Reprogramacion]

    @classmethod
    def from_model(cls, ot: OTE, versiones=()) -> OTDatos:
        """`versiones`: the chain's rows (`read.chain_of`), oldest first."""
        return cls.from_object(
            ot,
            descripcion_tipo=ot.tipo.nombre if ot.tipo else "",
            pte_padre=ot.pte.oficio_pte if ot.pte else "",
            requiere_patio=bool(ot.requiere_patio),
            reprogramaciones=[Reprogramacion.from_row(v) for v in versiones],
        )


@dataclass(frozen=True, slots=True)
class OTFila(Shape):
    """A list row (a `read.list_orders` item)."""

    sources = {"responsable_proyecto": "responsable", "pte_padre": "pte"}

    id: int
    orden_trabajo: str
    oficio_ot: str | None
    id_tipo: int
    tipo: str | None
    descripcion_trabajo: str
    responsable_cliente: str
    id_responsable_proyecto: int | None
    responsable_proyecto: str | None
    id_cliente: int | None
    cliente: str | None
    id_frente: int | None
    frente: str | None
    sitio: str | None
    id_pte_header: int | None
    pte_padre: str | None
    id_estatus_ot: int | None
    estatus_ot: str | None
    estatus: int
    fecha_inicio_programado: date | None
    fecha_termino_programado: date | None
    fecha_inicio_real: date | None
    fecha_termino_real: date | None
    monto_mxn: Money
    monto_usd: Money
    ot_principal: int | None
    num_reprogramacion: int | None
    reprogramaciones: Annotated[
        int | None,
        "Versiones activas de la cadena, en su OT inicial y en su versión vigente; null en una versión reemplazada.",
    ]
    vigente: Annotated[bool, "Si es la versión vigente de su cadena (la única editable)."]
    pasos_completados: int
    pasos_total: int
    version: int


@dataclass(frozen=True, slots=True)
class Paso(Shape):
    """One step of an OT (a `read.steps_of` row)."""

    id: int
    id_paso: int
    paso: str
    estatus_paso: int
    comentario: str
    fecha_inicio: date | None
    fecha_termino: date | None
    fecha_entrega: date | None
    entregable_url: str | None
    archivo_nombre: Annotated[str | None, "El archivo entregable subido (descárguelo de …/paso/archivo?id=)."]


@dataclass(frozen=True, slots=True)
class Cambio(Shape):
    """How one figure changed between two versions, as text (dates ISO, amounts with 2 decimals)."""

    de: str | None
    a: str | None
    diferencia: Annotated[str | None, "Días entre fechas, o la diferencia del plazo o del monto."]
    porcentaje: Annotated[str | None, "Con 2 decimales; null sin base de comparación (original 0)."]


@dataclass(frozen=True, slots=True)
class VersionOT(Shape):
    """One version of a chain as a baseline (a `read.versions_of` version)."""

    id: int
    num_reprogramacion: Annotated[int, "0 para la OT inicial."]
    vigente: bool
    fecha_inicio_programado: date | None
    fecha_termino_programado: date | None
    plazo_dias: int | None
    monto_mxn: Money
    monto_usd: Money
    id_pte_header: int
    oficio_ot: str | None
    motivo: str | None
    creada_por: str | None
    creada_en: Annotated[str | None, "UTC, ISO 8601."]
    cambios_vs_anterior: dict[str, Cambio]
    cambios_vs_original: dict[str, Cambio]
    advertencias: list[Advertencia]

    @classmethod
    def from_version(cls, row) -> VersionOT:
        return cls.from_row(
            {
                **row,
                "creada_en": row["creada_en"].isoformat() + "Z" if row["creada_en"] else None,
                "cambios_vs_anterior": {k: Cambio(**v) for k, v in row["cambios_vs_anterior"].items()},
                "cambios_vs_original": {k: Cambio(**v) for k, v in row["cambios_vs_original"].items()},
                "advertencias": [Advertencia(**a) for a in row["advertencias"]],
            }
        )


@dataclass(frozen=True, slots=True)
class Versiones(Shape):
    """A chain's lineage (`read.versions_of`)."""

    folio: str
    ot_principal: Annotated[int, "ID de la OT inicial de la cadena."]
    vigente: Annotated[int | None, "ID de la versión vigente."]
    versiones: list[VersionOT]

    @classmethod
    def from_lineage(cls, lineage) -> Versiones:
        return cls(
            folio=lineage.folio,
            ot_principal=lineage.ot_principal,
            vigente=lineage.vigente,
            versiones=[VersionOT.from_version(v) for v in lineage.versiones],
        )


@dataclass(frozen=True, slots=True)
class Omitida(Shape):
    """An OT a bulk action skipped (`commands.bulk_change`), and why: it was never overwritten."""

    id: int
    orden_trabajo: Annotated[str, "Folio; vacío si la OT no existe."]
    motivo: str
