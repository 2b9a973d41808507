"""Programs for the curve and cut-off tests: saved through the real service (`save_program`), or
inserted as rows the way it stores them where the service would refuse (a replaced version, which
the query budget's data builds directly)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from ot_app.extensions import db
from ot_app.models import OrigenPrograma, PerfilAvance, ProgramaActividad, ProgramaRevision
from ot_app.schedules import curve_store

D = Decimal


def weights(amounts: list[Decimal]) -> list[Decimal]:
    """Each amount's share of the total as a percentage with 2 decimals, summing to exactly
    100.00 (the remainder to the largest), like the program's default weights."""
    total = sum(amounts, D(0))
    if total <= 0:
        return [D("0.00")] * len(amounts)
    out = [(a * 100 / total).quantize(D("0.01")) for a in amounts]
    out[max(range(len(amounts)), key=lambda i: amounts[i])] += D("100.00") - sum(out)
    return out


def make_program(
    id_ot: int, rows: list[dict], origen=OrigenPrograma.CAPTURA, direct=False
) -> ProgramaRevision:
    """rows: {nombre, inicio, fin, mxn, usd, perfil?, distribucion?, nivel?}. Through
    `save_program` unless `direct`. Commits."""
    if not direct:
        return _saved(id_ot, rows, origen)
    n = (
        db.session.scalar(select(func.max(ProgramaRevision.n)).where(ProgramaRevision.id_ot == id_ot)) or 0
    ) + 1
    acts = [r for r in rows if r.get("nivel", 2) == 2]
    mxn = weights([D(r.get("mxn", "0")) for r in acts])
    usd = weights([D(r.get("usd", "0")) for r in acts])
    rev = ProgramaRevision(
        id_ot=id_ot,
        n=n,
        origen=origen.value,
        total_mxn=sum((D(r.get("mxn", "0")) for r in acts), D(0)),
        total_usd=sum((D(r.get("usd", "0")) for r in acts), D(0)),
    )
    k = 0
    for orden, r in enumerate(rows):
        nivel = r.get("nivel", 2)
        a = ProgramaActividad(
            orden=orden,
            nivel=nivel,
            nombre=r.get("nombre", f"Actividad {orden}"),
            inicio=r.get("inicio"),
            fin=r.get("fin"),
            monto_mxn=D(r.get("mxn", "0")),
            monto_usd=D(r.get("usd", "0")),
            perfil=r.get("perfil", PerfilAvance.LINEAL).value
            if hasattr(r.get("perfil"), "value")
            else r.get("perfil", "lineal"),
            distribucion=r.get("distribucion"),
        )
        if nivel == 2:
            a.peso_mxn, a.peso_usd = mxn[k], usd[k]
            k += 1
        rev.actividades.append(a)
    db.session.add(rev)
    db.session.flush()
    curve_store.refresh([id_ot])  # as save_program does: the aggregates' stored rows follow
    db.session.commit()
    return rev


def _saved(id_ot: int, rows: list[dict], origen) -> ProgramaRevision:
    from ot_app.schedules.commands import save_program
    from ot_app.schedules.plan import ActividadPlan, Plan

    plan = Plan(origen=origen)
    for i, r in enumerate(rows):
        perfil = r.get("perfil", PerfilAvance.LINEAL)
        plan.actividades.append(
            ActividadPlan(
                nombre=r.get("nombre", f"Actividad {i}"),
                nivel=r.get("nivel", 2),
                inicio=r.get("inicio"),
                fin=r.get("fin"),
                monto_mxn=D(r.get("mxn", "0")),
                monto_usd=D(r.get("usd", "0")),
                perfil=PerfilAvance(perfil),
                distribucion=r.get("distribucion"),
            )
        )
    revision = save_program(id_ot, plan, None).revision
    db.session.commit()
    return db.session.get(ProgramaRevision, revision.id)


def two_activities(id_ot: int) -> ProgramaRevision:
    """February 2026: a linear activity (MXN only) and a bell one (both currencies)."""
    return make_program(
        id_ot,
        [
            {"nombre": "Ingeniería", "nivel": 1},
            {
                "nombre": "Levantamiento",
                "inicio": date(2026, 2, 2),
                "fin": date(2026, 2, 13),
                "mxn": "100000.00",
            },
            {
                "nombre": "Prefabricado",
                "inicio": date(2026, 2, 9),
                "fin": date(2026, 3, 6),
                "mxn": "300000.00",
                "usd": "5000.00",
                "perfil": "campana",
            },
        ],
    )
