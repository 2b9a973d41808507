"""The shapes an OT is sent as (the seed's `obtener` datos, a list row, a step, a version): the API,
the pages that need them and the OpenAPI document use these."""

from __future__ import annotations

from ..formatting import amount, iso
from ..models import (
    OTE,
)


def version_datos(row) -> dict:
    """One version of a chain (a `read.chain_of` row) as the API sends it."""
    return {
        "id": row["id"],
        "num_reprogramacion": row["num_reprogramacion"],
        "estatus": row["estatus"],
        "fecha_inicio_programado": iso(row["fecha_inicio_programado"]),
        "fecha_termino_programado": iso(row["fecha_termino_programado"]),
        "monto_mxn": amount(row["monto_mxn"]),
        "monto_usd": amount(row["monto_usd"]),
    }


def order_datos(ot: OTE, versiones: list | None = None) -> dict:
    """The seed's `obtener_datos_ot` keys, dates ISO, amounts as 2-decimal strings."""
    return {
        "id": ot.id,
        "id_tipo_id": ot.id_tipo,
        "id_frente": ot.id_frente,
        "id_embarcacion": ot.id_embarcacion,
        "id_plataforma": ot.id_plataforma,
        "id_intercom": ot.id_intercom,
        "id_cliente": ot.id_cliente,
        "id_patio": ot.id_patio,
        "descripcion_tipo": ot.tipo.nombre if ot.tipo else "",
        "estatus_ot": ot.id_estatus_ot,
        "responsable_proyecto": ot.id_responsable_proyecto or "",
        "responsable_cliente": ot.responsable_cliente,
        "id_pte_id": ot.id_pte_header or "",
        "pte_padre": ot.pte.oficio_pte if ot.pte else "",
        "oficio_ot": ot.oficio_ot,
        "estatus": ot.estatus,
        "orden_trabajo": ot.orden_trabajo,
        "descripcion_trabajo": ot.descripcion_trabajo,
        "fecha_inicio_programado": iso(ot.fecha_inicio_programado),
        "fecha_inicio_real": iso(ot.fecha_inicio_real),
        "fecha_termino_programado": iso(ot.fecha_termino_programado),
        "fecha_termino_real": iso(ot.fecha_termino_real),
        "comentario": ot.comentario,
        "ot_principal": ot.ot_principal,
        "num_reprogramacion": ot.num_reprogramacion,
        "monto_mxn": amount(ot.monto_mxn),
        "monto_usd": amount(ot.monto_usd),
        "plazo_dias": ot.plazo_dias,
        "requiere_patio": bool(ot.requiere_patio),
        "fecha_inicio_patio": iso(ot.fecha_inicio_patio),
        "fecha_fin_patio": iso(ot.fecha_fin_patio),
        "version": ot.version,
        "reprogramaciones": [version_datos(v) for v in versiones or ()],
    }


def list_row_datos(item: dict) -> dict:
    """A list row (`read.list_orders` item) as the API sends it."""
    return {
        "id": item["id"],
        "orden_trabajo": item["orden_trabajo"],
        "oficio_ot": item["oficio_ot"],
        "id_tipo": item["id_tipo"],
        "tipo": item["tipo"],
        "descripcion_trabajo": item["descripcion_trabajo"],
        "responsable_cliente": item["responsable_cliente"],
        "id_responsable_proyecto": item["id_responsable_proyecto"],
        "responsable_proyecto": item["responsable"],
        "id_cliente": item["id_cliente"],
        "cliente": item["cliente"],
        "id_frente": item["id_frente"],
        "frente": item["frente"],
        "sitio": item["sitio"],
        "id_pte_header": item["id_pte_header"],
        "pte_padre": item["pte"],
        "id_estatus_ot": item["id_estatus_ot"],
        "estatus_ot": item["estatus_ot"],
        "estatus": item["estatus"],
        "fecha_inicio_programado": iso(item["fecha_inicio_programado"]),
        "fecha_termino_programado": iso(item["fecha_termino_programado"]),
        "fecha_inicio_real": iso(item["fecha_inicio_real"]),
        "fecha_termino_real": iso(item["fecha_termino_real"]),
        "monto_mxn": amount(item["monto_mxn"]),
        "monto_usd": amount(item["monto_usd"]),
        "ot_principal": item["ot_principal"],
        "num_reprogramacion": item["num_reprogramacion"],
        "reprogramaciones": item["reprogramaciones"],
        "pasos_completados": item["pasos_completados"],
        "pasos_total": item["pasos_total"],
        "version": item["version"],
    }
