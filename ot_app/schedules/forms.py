"""The one form of a program write: rows of text (the grid's cells, or the API's JSON objects)
parsed into a Plan. A value that does not parse is an error beside its cell, in the same round as
the rules `commands.prepare` checks (every error at once); keys `actividades.<i>.<campo>`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..fields import parse_date, parse_money
from ..models import OrigenPrograma, PerfilAvance
from ..service_errors import ValidationFailed
from .plan import ActividadPlan, LigaPlan, Plan

# The grid's columns, in order (what a row posts as actividades-<i>-<campo>).
CAMPOS = (
    "nivel",
    "wbs",
    "nombre",
    "inicio",
    "fin",
    "monto_mxn",
    "monto_usd",
    "peso_mxn",
    "peso_usd",
    "perfil",
    "predecesoras",
    "es_patio",
)
ETIQUETAS = {
    "nivel": "Nivel",
    "wbs": "EDT",
    "nombre": "Nombre",
    "inicio": "Inicio",
    "fin": "Término",
    "monto_mxn": "Importe MXN",
    "monto_usd": "Importe USD",
    "peso_mxn": "Peso MXN %",
    "peso_usd": "Peso USD %",
    "perfil": "Perfil",
    "predecesoras": "Predecesoras",
    "es_patio": "Patio",
}
PERFILES = {
    PerfilAvance.LINEAL: "Lineal",
    PerfilAvance.INICIO: "Al inicio",
    PerfilAvance.FINAL: "Al final",
    PerfilAvance.CAMPANA: "Campana",
}
MAX_FILAS = 2000
_PRED = re.compile(r"^\s*(\d{1,4})\s*(?:([+-])\s*(\d{1,4})\s*d?)?\s*$", re.IGNORECASE)
_TRUE = {"1", "on", "true", "si", "sí"}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value).strip()


def _weight(raw: str) -> Decimal | None:
    text = raw.replace("%", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("no es un porcentaje (ejemplo: 12.50)") from None
    if not value.is_finite() or value < 0 or value > 100:
        raise ValueError("va de 0 a 100")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("admite como máximo 2 decimales")
    return value


def _nivel(raw: str) -> int:
    text = raw.lower()
    if text in ("1", "fase"):
        return 1
    if text in ("", "2", "actividad"):
        return 2
    raise ValueError("es 1 (fase) o 2 (actividad)")


def _predecessors(raw: str) -> list[tuple[int, int]]:
    """'2, 3+5, 4-1' → [(2, 0), (3, 5), (4, -1)]: row numbers with a lag in days."""
    out = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", raw))):
        m = _PRED.match(part)
        if not m:
            raise ValueError(f"«{part}» no es una predecesora (ejemplo: 3 o 3+5 para 5 días de retraso)")
        lag = int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
        out.append((int(m.group(1)), lag))
    return out


def _claves(value) -> list[str] | None:
    if value is None or value == "":
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    out = [str(c).strip() for c in items if str(c).strip()]
    return out or None


@dataclass
class Lectura:
    """What the form read: the plan (a value that did not parse left at its default) and the
    parse errors, which `save_program(field_errors=...)` reports in the same round as its rules."""

    plan: Plan
    errores: dict[str, str]
    liga_fila: list[int]  # the row whose predecessors cell each link came from (-1: the API's list)

    def beside_cells(self, err: ValidationFailed) -> ValidationFailed:
        """The same errors, a link's moved beside the predecessors cell it was typed in."""
        moved: dict[str, str] = {}
        for key, message in err.errores.items():
            if key.startswith("ligas.") and key[6:].isdigit():
                j = int(key[6:])
                if j < len(self.liga_fila) and self.liga_fila[j] >= 0:
                    key = f"actividades.{self.liga_fila[j]}.predecesoras"
            moved.setdefault(key, message)
        return ValidationFailed.from_errors(moved)


def read_rows(
    rows: list[Mapping], ligas: list[Mapping] | None = None, origen=OrigenPrograma.CAPTURA, base=None
) -> Lectura:
    """The plan the rows describe. Links come either from each row's `predecesoras` (the grid:
    row numbers, 1-based, with an optional lag) or from `ligas` (the API: 0-based row indexes).
    `base`: the revision being edited; a row whose `id` is one of its rows keeps that row's hidden
    data."""
    if base is not None:
        base = {str(a.id): a for a in base.actividades}
    errors: dict[str, str] = {}
    plan = Plan(origen=origen)
    liga_row: list[int] = []
    if len(rows) > MAX_FILAS:
        errors["actividades"] = f"El programa admite a lo más {MAX_FILAS} filas."
        rows = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            errors[f"actividades.{i}"] = "Cada actividad es un objeto con sus campos."
            plan.actividades.append(ActividadPlan(nombre=""))
            continue

        def parsed(campo, parse, default=None, _row=row, _i=i):
            try:
                return parse(_text(_row.get(campo)))
            except ValueError as err:
                errors[f"actividades.{_i}.{campo}"] = f"{ETIQUETAS[campo]}: {err}."
                return default

        a = ActividadPlan(
            nombre=_text(row.get("nombre")),
            nivel=parsed("nivel", _nivel, 2),
            wbs=_text(row.get("wbs")),
            es_patio=_text(row.get("es_patio")).lower() in _TRUE,
            inicio=parsed("inicio", parse_date),
            fin=parsed("fin", parse_date),
            monto_mxn=parsed("monto_mxn", parse_money, Decimal("0")),
            monto_usd=parsed("monto_usd", parse_money, Decimal("0")),
            peso_mxn=parsed("peso_mxn", _weight),
            peso_usd=parsed("peso_usd", _weight),
            perfil=_text(row.get("perfil")) or PerfilAvance.LINEAL.value,
            claves_anexo=_claves(row.get("claves_anexo")),
        )
        # The API's own answer sent back: weights that were the defaults stay defaults (per
        # currency; `peso_editado` false, as clients sent it before, means both).
        if row.get("peso_editado_mxn") is False or row.get("peso_editado") is False:
            a.peso_mxn = None
        if row.get("peso_editado_usd") is False or row.get("peso_editado") is False:
            a.peso_usd = None
        kept = (base or {}).get(_text(row.get("id")))
        if kept is not None:
            # A row of the revision being edited keeps what the grid does not show: its annex
            # lines, its explicit distribution (an import's months), its imported % complete.
            a.claves_anexo = a.claves_anexo or kept.claves_anexo
            a.distribucion = kept.distribucion
            a.avance = kept.avance
        plan.actividades.append(a)
        for numero, lag in parsed("predecesoras", _predecessors, []):
            plan.ligas.append(LigaPlan(numero - 1, i, lag))
            liga_row.append(i)
    for j, liga in enumerate(ligas or []):
        try:
            lag = liga.get("retraso_dias") or 0
            if not all(
                isinstance(v, int) and not isinstance(v, bool)
                for v in (liga["predecesora"], liga["sucesora"], lag)
            ):
                raise TypeError
            plan.ligas.append(LigaPlan(liga["predecesora"], liga["sucesora"], lag))
            liga_row.append(-1)
        except (AttributeError, KeyError, TypeError):
            errors[f"ligas.{j}"] = (
                f"Liga {j + 1}: use predecesora y sucesora (índices de fila, desde 0) y retraso_dias (días)."
            )
    return Lectura(plan, errors, liga_row)


def rows_of(revision) -> list[dict]:
    """A stored revision as the grid's rows of text (to edit it as the next revision). A weight
    typed before stays typed; the defaults are left blank so they follow the amounts again."""
    from .read import rows as read_rows_of

    out = []
    for f in read_rows_of(revision):
        a = f.actividad
        out.append(
            {
                "id": str(a.id),
                "nivel": str(a.nivel),
                "wbs": a.wbs,
                "nombre": a.nombre,
                "inicio": a.inicio.isoformat() if a.inicio else "",
                "fin": a.fin.isoformat() if a.fin else "",
                "monto_mxn": f"{a.monto_mxn:.2f}" if a.nivel == 2 else "",
                "monto_usd": f"{a.monto_usd:.2f}" if a.nivel == 2 else "",
                "peso_mxn": f"{a.peso_mxn:.2f}" if a.peso_editado_mxn else "",
                "peso_usd": f"{a.peso_usd:.2f}" if a.peso_editado_usd else "",
                "perfil": a.perfil,
                "predecesoras": f.predecesoras_texto,
                "es_patio": "1" if a.es_patio else "",
            }
        )
    return out
