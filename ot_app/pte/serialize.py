"""The shapes a PTE is sent as (the API and the OpenAPI document use these)."""

from __future__ import annotations

from decimal import Decimal

from ..models import (
    PTEHeader,
)


def pte_datos(pte: PTEHeader) -> dict:
    return {
        "id": pte.id,
        "oficio_pte": pte.oficio_pte,
        "descripcion": pte.descripcion,
        "id_cliente": pte.id_cliente,
        "cliente": pte.cliente.nombre if pte.cliente else None,
        "responsable_proyecto": pte.id_responsable_proyecto,
        "fecha_solicitud": pte.fecha_solicitud.isoformat() if pte.fecha_solicitud else None,
        "plazo_dias": pte.plazo_dias,
        "monto_mxn": f"{Decimal(pte.monto_mxn or 0):.2f}",
        "monto_usd": f"{Decimal(pte.monto_usd or 0):.2f}",
        "id_estatus_pte": pte.id_estatus_pte,
        "estatus_pte": pte.estatus_pte.nombre if pte.estatus_pte else None,
        "estatus": pte.estatus,
        "version": pte.version,
    }
