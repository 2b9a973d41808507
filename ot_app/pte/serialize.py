"""The shapes a PTE is sent as (its datos, a list row): the API sends them and the OpenAPI document
publishes their schemas (see `ot_app.shapes`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from ..models import PTEHeader
from ..shapes import Money, Shape


@dataclass(frozen=True, slots=True)
class PTEDatos(Shape):
    sources = {"responsable_proyecto": "id_responsable_proyecto"}

    id: int
    oficio_pte: str
    descripcion: str
    id_cliente: int | None
    cliente: str | None
    responsable_proyecto: int | None
    fecha_solicitud: date | None
    plazo_dias: int
    monto_mxn: Money
    monto_usd: Money
    id_estatus_pte: int
    estatus_pte: str | None
    estatus: int
    version: int

    @classmethod
    def from_model(cls, pte: PTEHeader) -> PTEDatos:
        return cls.from_object(
            pte,
            cliente=pte.cliente.nombre if pte.cliente else None,
            estatus_pte=pte.estatus_pte.nombre if pte.estatus_pte else None,
        )


@dataclass(frozen=True, slots=True)
class PTEFila(Shape):
    """A PTE as `/api/pte/listar` sends it (a `read.active_ptes` row)."""

    component = "PTE"

    id: int
    oficio_pte: str
    descripcion: str | None
    id_cliente: int | None
    id_estatus_pte: int | None
    aprobada: bool


@dataclass(frozen=True, slots=True)
class PasoPTE(Shape):
    """One step of a PTE's checklist (a `read.steps_and_progress` row)."""

    id: int
    id_paso: int
    n: Annotated[str, "Número en la lista: 3, o 3.1 para un subpaso."]
    paso: str
    id_padre: Annotated[int | None, "El paso del que es subpaso."]
    subpasos: Annotated[int, "Cuántos subpasos tiene (su estatus los sigue)."]
    estatus_paso: int
    comentario: str
    fecha_inicio: date | None
    fecha_termino: date | None
    fecha_entrega: date | None
    entregable_url: str | None
    archivo_nombre: Annotated[str | None, "El archivo entregable subido (descárguelo de …/paso/archivo?id=)."]
