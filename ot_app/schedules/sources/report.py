"""The dry-run report of a program source (MS Project files, the sábana, the Anexo C alone): the
error and warning entries of shared/annexes.md (`hoja`, `fila`, `columna`, `valor`, `mensaje`),
what the program would hold, and whether it was stored. One shape for the page and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ...annexes.report import MAX_ISSUES, Issue
from ...annexes.rules import ZERO, amount_text
from ..commands import MAX_NOMBRE
from ..plan import Plan

SAMPLE = 50


def clip(nombre: str) -> str:
    """A name within the program's limit: an annex concept of 600 characters is common, and
    refusing the whole program for it helps nobody; the activity keeps its key to the line."""
    nombre = " ".join(nombre.split())
    return nombre if len(nombre) <= MAX_NOMBRE else nombre[: MAX_NOMBRE - 1] + "…"


@dataclass
class ProgramReport:
    fuente: str  # mspdi | mpp | sabana | anexo_c | programa
    archivo: str = ""
    sha256: str = ""
    formato: str | None = None
    plan: Plan | None = None
    errores: list[Issue] = field(default_factory=list)
    advertencias: list[Issue] = field(default_factory=list)
    errores_omitidos: int = 0
    advertencias_omitidas: int = 0
    confirmado: bool = False
    revision: int | None = None  # the program revision stored
    id_anexo_revision: int | None = None  # the annex revision it was derived from
    extra: dict = field(default_factory=dict)

    def error(self, fila, columna, valor, mensaje, hoja=None):
        self._add(self.errores, "errores_omitidos", hoja, fila, columna, valor, mensaje)

    def warning(self, fila, columna, valor, mensaje, hoja=None):
        self._add(self.advertencias, "advertencias_omitidas", hoja, fila, columna, valor, mensaje)

    def _add(self, target, omitted, hoja, fila, columna, valor, mensaje):
        if len(target) >= MAX_ISSUES:
            setattr(self, omitted, getattr(self, omitted) + 1)
            return
        target.append(Issue(hoja, fila, columna, None if valor is None else str(valor), mensaje))

    @property
    def ok(self) -> bool:
        return not self.errores and not self.errores_omitidos and self.plan is not None

    @property
    def detalles(self) -> str:
        if not self.ok:
            count = len(self.errores) + self.errores_omitidos
            if not count:
                return "No se pudo leer el programa: no se guardó nada."
            return f"El programa tiene {count} error{'es' if count != 1 else ''}: no se guardó nada."
        if self.confirmado:
            return f"Programa guardado como revisión {self.revision}."
        if self.advertencias:
            return "Sin errores, con advertencias: puede confirmar."
        return "Sin errores: puede confirmar."

    @property
    def tipo_aviso(self) -> str:
        if not self.ok:
            return "error"
        return "advertencia" if self.advertencias else "exito"

    def to_json(self, sample: int = SAMPLE) -> dict:
        actividades = self.plan.actividades if self.plan else []
        ligas = self.plan.ligas if self.plan else []
        fechas = [d for a in actividades for d in (a.inicio, a.fin) if d is not None]
        mxn = sum((a.monto_mxn for a in actividades if a.nivel == 2), ZERO)
        usd = sum((a.monto_usd for a in actividades if a.nivel == 2), ZERO)
        return {
            "fuente": self.fuente,
            "archivo": self.archivo,
            "sha256": self.sha256,
            "formato": self.formato,
            "fases": sum(1 for a in actividades if a.nivel == 1),
            "actividades": sum(1 for a in actividades if a.nivel == 2),
            "ligas": len(ligas),
            "inicio": min(fechas).isoformat() if fechas else None,
            "fin": max(fechas).isoformat() if fechas else None,
            "totales": {"mxn": amount_text(mxn), "usd": amount_text(usd)},
            "errores": [e.to_json() for e in self.errores],
            "advertencias": [w.to_json() for w in self.advertencias],
            "errores_omitidos": self.errores_omitidos,
            "advertencias_omitidas": self.advertencias_omitidas,
            "confirmado": self.confirmado,
            "revision": self.revision,
            "id_anexo_revision": self.id_anexo_revision,
            "muestra": [_actividad(i, a) for i, a in enumerate(actividades[:sample])],
        }


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _actividad(i: int, a) -> dict:
    return {
        "orden": i,
        "nivel": a.nivel,
        "wbs": a.wbs,
        "nombre": a.nombre,
        "inicio": a.inicio.isoformat() if a.inicio else None,
        "fin": a.fin.isoformat() if a.fin else None,
        "monto_mxn": amount_text(a.monto_mxn),
        "monto_usd": amount_text(a.monto_usd),
        "peso_mxn": _pct(a.peso_mxn),
        "peso_usd": _pct(a.peso_usd),
        "avance": f"{a.avance:.2f}",
        "ref": a.ref,
    }
