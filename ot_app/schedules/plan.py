"""A program before it is stored: what every source produces (the typed grid, the annex workbook,
the sábana, the Anexo C alone, MSPDI and .mpp files) and what `commands.save_program` takes. Plain
values, no database: the importers are pure functions that return a Plan and a report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..models import OrigenPrograma, PerfilAvance


@dataclass
class ActividadPlan:
    nombre: str
    nivel: int = 2  # 1: a phase; 2: an activity under the phase before it
    wbs: str = ""
    es_patio: bool = False  # the yard phase (a phase of its own)
    inicio: date | None = None
    fin: date | None = None
    monto_mxn: Decimal = Decimal("0")
    monto_usd: Decimal = Decimal("0")
    # None: the default (the activity's amount over the program's total per currency).
    peso_mxn: Decimal | None = None
    peso_usd: Decimal | None = None
    perfil: PerfilAvance = PerfilAvance.LINEAL
    avance: Decimal = Decimal("0")  # % complete as the source says (MS Project)
    claves_anexo: list[str] | None = None  # AnexoRenglon.clave of the linked annex lines
    # An explicit distribution replacing the profile: {"mxn": {"2027-01-01": "1234.50"}, "usd": {}}
    # keyed by the first day of each period (the workbook's months, the sábana's days).
    distribucion: dict | None = None
    ref: str = ""  # where it came from, for messages: "fila 12", "tarea 7"


@dataclass
class LigaPlan:
    """Finish-to-start: `sucesora` starts `retraso_dias` after `predecesora` finishes. Indexes
    into Plan.actividades."""

    predecesora: int
    sucesora: int
    retraso_dias: int = 0


@dataclass
class Plan:
    origen: OrigenPrograma
    actividades: list[ActividadPlan] = field(default_factory=list)
    ligas: list[LigaPlan] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # what the source adds to the revision (periodos, hojas)
