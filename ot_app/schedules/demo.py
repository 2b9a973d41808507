"""`flask demo`'s programs (issue 19): a few current OTs get a program (phases, the yard phase,
links, both currencies) spread over their programmed window, through save_program like the grid;
one of them is then reprogrammed, so its version 1 keeps its program as the baseline while the new
version starts from the copy and changes it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..models import OTE, OrigenPrograma, PerfilAvance, ProgramaRevision, Registro, TipoId
from .commands import save_program
from .plan import ActividadPlan, LigaPlan, Plan

# (phase, es_patio, [(activity, share of the window where it starts, share where it ends,
#   share of the MXN amount, USD amount, profile)])
PHASES = [
    (
        "Ingeniería",
        False,
        [
            ("Levantamiento en sitio", 0.00, 0.15, "0.05", "0", PerfilAvance.LINEAL),
            ("Ingeniería de detalle", 0.10, 0.30, "0.10", "12000.00", PerfilAvance.INICIO),
        ],
    ),
    (
        "Fase de patio",
        True,
        [
            ("Prefabricado de spools", 0.25, 0.55, "0.25", "0", PerfilAvance.CAMPANA),
            ("Pruebas hidrostáticas en patio", 0.50, 0.60, "0.05", "0", PerfilAvance.LINEAL),
            ("Carga y amarre en chalán", 0.58, 0.65, "0.05", "0", PerfilAvance.LINEAL),
        ],
    ),
    (
        "Instalación costa afuera",
        False,
        [
            ("Desmantelamiento de línea existente", 0.62, 0.75, "0.15", "30000.00", PerfilAvance.LINEAL),
            ("Interconexión y soldadura", 0.72, 0.92, "0.30", "45000.00", PerfilAvance.FINAL),
            ("Pruebas y arranque", 0.90, 1.00, "0.05", "8000.00", PerfilAvance.LINEAL),
        ],
    ),
]
# Finish-to-start between activities (indexes in the plan's rows, phases included), with lag.
LINKS = [(1, 2, 0), (2, 4, 2), (4, 5, 0), (5, 6, 0), (6, 8, 1), (8, 9, 0), (9, 10, 0)]


def _day(start: date, end: date, share: float) -> date:
    return start + timedelta(days=round((end - start).days * share))


def demo_plan(ot: OTE) -> Plan:
    start = ot.fecha_inicio_programado or date(2026, 11, 27)
    end = ot.fecha_termino_programado or start + timedelta(days=60)
    total = ot.monto_mxn or Decimal("1000000.00")
    rows = []
    for fase, patio, activities in PHASES:
        rows.append(
            ActividadPlan(
                nombre=fase, nivel=1, es_patio=patio, wbs=str(len([r for r in rows if r.nivel == 1]) + 1)
            )
        )
        phase_wbs = rows[-1].wbs
        for k, (nombre, a, b, share, usd, perfil) in enumerate(activities, start=1):
            rows.append(
                ActividadPlan(
                    nombre=nombre,
                    wbs=f"{phase_wbs}.{k}",
                    inicio=_day(start, end, a),
                    fin=_day(start, end, b),
                    monto_mxn=(total * Decimal(share)).quantize(Decimal("0.01")),
                    monto_usd=Decimal(usd),
                    perfil=perfil,
                )
            )
    return Plan(OrigenPrograma.CAPTURA, rows, [LigaPlan(p, s, lag) for p, s, lag in LINKS])


def demo_programs() -> int:
    """Programs for three current OTs without one; the first then reprogrammed. Returns how many
    OTs got a program (0 when the demo already has programs)."""
    from ..orders import commands as orders

    # Its own programs are typed ones (the annex demo imports a workbook's program of its own).
    if db.session.scalar(
        select(ProgramaRevision.id).where(ProgramaRevision.origen == OrigenPrograma.CAPTURA).limit(1)
    ):
        return 0
    has_versions = select(OTE.ot_principal).where(OTE.ot_principal.is_not(None))
    candidates = db.session.scalars(
        select(OTE)
        .where(
            OTE.id_tipo == TipoId.INICIAL,
            OTE.estatus == Registro.ACTIVA,
            OTE.fecha_inicio_programado.is_not(None),
            OTE.fecha_termino_programado.is_not(None),
            OTE.id.not_in(has_versions),
            OTE.id.not_in(select(ProgramaRevision.id_ot)),
        )
        .order_by(OTE.id)
        .limit(3)
    ).all()
    for ot in candidates:
        save_program(ot.id, demo_plan(ot), None, comentario="Programa de ejecución de la propuesta")
    if not candidates:
        return 0
    # The chain: version 1's program gets a second revision (a comparison to see), then the OT is
    # reprogrammed; the new version starts from the copy and changes it, version 1 keeps its own.
    first = candidates[0]
    second = demo_plan(first)
    second.actividades[5].monto_mxn += Decimal("25000.00")  # the hydrostatic tests cost more
    second.actividades[9].fin += timedelta(days=3)  # and so does the welding
    save_program(first.id, second, None, expected_n=1, comentario="Ajuste tras la junta de arranque")
    new = orders.reprogram_order(
        {
            "id": first.id,
            "motivo": "Ventana climática: se recorre el programa",
            "plazo_dias": (first.plazo_dias or 60) + 15,
        },
        None,
    ).ot
    third = demo_plan(new)
    third.actividades.append(
        ActividadPlan(
            nombre="Retiro de equipo y limpieza",
            wbs="3.4",
            inicio=new.fecha_termino_programado - timedelta(days=5),
            fin=new.fecha_termino_programado,
            monto_mxn=Decimal("45000.00"),
        )
    )
    third.ligas.append(LigaPlan(10, 11, 0))
    save_program(new.id, third, None, expected_n=1, comentario="Se agrega el retiro de equipo")
    return len(candidates)
