"""The report of shared/annexes.md: one shape for every importer, page, API and command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .rules import ZERO, amount_text, number_text

MAX_ISSUES = 1000  # per list: a file with errors in every row still answers in a readable size
SAMPLE = 50


@dataclass
class Issue:
    hoja: str | None
    fila: int | None
    columna: str | None
    valor: str | None
    mensaje: str
    col: int | None = None  # 0-based column, for the page's preview (not part of the contract's report)

    def to_json(self) -> dict:
        return {
            "hoja": self.hoja,
            "fila": self.fila,
            "columna": self.columna,
            "valor": self.valor,
            "mensaje": self.mensaje,
        }


@dataclass
class Line:
    """A priced row: what a revision stores (money as Decimal, computed importes)."""

    hoja: str | None
    fila: int
    anexo: str
    partida: str
    concepto: str
    unidad: str
    cantidad: Decimal
    pu_mxn: Decimal
    pu_usd: Decimal
    importe_mxn: Decimal
    importe_usd: Decimal
    capitulo: str | None
    subencabezado: str | None
    # sábana: ISO date → quantity; programa: "MES n" → volume
    programa: dict[str, Decimal] | None = None

    def to_json(self) -> dict:
        out = {
            "hoja": self.hoja,
            "fila": self.fila,
            "anexo": self.anexo,
            "partida": self.partida,
            "concepto": self.concepto,
            "unidad": self.unidad,
            "cantidad": number_text(self.cantidad),
            "pu_mxn": number_text(self.pu_mxn),
            "pu_usd": number_text(self.pu_usd),
            "importe_mxn": amount_text(self.importe_mxn),
            "importe_usd": amount_text(self.importe_usd),
            "capitulo": self.capitulo,
            "subencabezado": self.subencabezado,
        }
        # Every kind sends the same keys; those of another kind are null.
        if self.programa is not None:
            out["programa_diario"] = {day: number_text(q) for day, q in self.programa.items()}
            out["suma_dias"] = number_text(sum(self.programa.values(), ZERO))
        else:
            out["programa_diario"] = out["suma_dias"] = None
        return out


@dataclass
class Subtotal:
    hoja: str | None
    fila: int
    texto: str
    mxn: Decimal | None
    usd: Decimal | None
    coincide: bool

    def to_json(self) -> dict:
        return {
            "hoja": self.hoja,
            "fila": self.fila,
            "texto": self.texto,
            "mxn": amount_text(self.mxn or ZERO),
            "usd": amount_text(self.usd or ZERO),
            "coincide": self.coincide,
        }


@dataclass
class Report:
    tipo: str
    archivo: str
    sha256: str
    formato: str | None = None
    hoja: str | None = None
    fila_encabezado: int | None = None
    lines: list[Line] = field(default_factory=list)
    capitulos: int = 0
    subencabezados: int = 0
    subtotales: list[Subtotal] = field(default_factory=list)
    errores: list[Issue] = field(default_factory=list)
    advertencias: list[Issue] = field(default_factory=list)
    errores_omitidos: int = 0
    advertencias_omitidas: int = 0
    confirmado: bool = False
    revision: int | None = None
    extra: dict = field(default_factory=dict)  # what a kind adds (sábana: dias, pue)
    # The raw cells of the first rows that had an error or a warning (fila → cells), and the
    # header's names: the page's preview marks the offending cells in them (see preview.py).
    preview: dict[int, list] = field(default_factory=dict)
    preview_header: list = field(default_factory=list)
    resumen: str | None = None  # what a confirmation did, when a kind says it otherwise (catalog)

    def error(self, fila, columna, valor, mensaje, hoja=..., col=None):
        self._add(self.errores, "errores_omitidos", hoja, fila, columna, valor, mensaje, col)

    def warning(self, fila, columna, valor, mensaje, hoja=..., col=None):
        self._add(self.advertencias, "advertencias_omitidas", hoja, fila, columna, valor, mensaje, col)

    def _add(self, target, omitted, hoja, fila, columna, valor, mensaje, col=None):
        if len(target) >= MAX_ISSUES:
            setattr(self, omitted, getattr(self, omitted) + 1)
            return
        hoja = self.hoja if hoja is ... else hoja
        shown = None if valor is None else (valor if isinstance(valor, str) else str(valor))
        target.append(Issue(hoja, fila, columna, shown, mensaje, col))

    @property
    def issue_count(self) -> int:
        return len(self.errores) + len(self.advertencias) + self.errores_omitidos + self.advertencias_omitidas

    @property
    def ok(self) -> bool:
        return not self.errores and not self.errores_omitidos

    def totals(self) -> tuple[Decimal, Decimal]:
        mxn = sum((line.importe_mxn for line in self.lines), ZERO)
        usd = sum((line.importe_usd for line in self.lines), ZERO)
        return mxn, usd

    @property
    def detalles(self) -> str:
        if not self.ok:
            count = len(self.errores) + self.errores_omitidos
            return f"El archivo tiene {count} error{'es' if count != 1 else ''}: no se guardó nada."
        if self.resumen:
            return self.resumen
        if self.confirmado:
            return f"Anexo guardado como revisión {self.revision}."
        if self.advertencias:
            return "Sin errores, con advertencias: puede confirmar."
        return "Sin errores: puede confirmar."

    @property
    def tipo_aviso(self) -> str:
        if not self.ok:
            return "error"
        return "advertencia" if self.advertencias else "exito"

    def to_json(self, sample: int = SAMPLE) -> dict:
        mxn, usd = self.totals()
        out = {
            "tipo": self.tipo,
            "archivo": self.archivo,
            "sha256": self.sha256,
            "formato": self.formato,
            "hoja": self.hoja,
            "fila_encabezado": self.fila_encabezado,
            "renglones": len(self.lines),
            "capitulos": self.capitulos,
            "subencabezados": self.subencabezados,
            "totales": {"mxn": amount_text(mxn), "usd": amount_text(usd)},
            "subtotales": [s.to_json() for s in self.subtotales],
            "errores": [e.to_json() for e in self.errores],
            "advertencias": [w.to_json() for w in self.advertencias],
            "errores_omitidos": self.errores_omitidos,
            "advertencias_omitidas": self.advertencias_omitidas,
            "confirmado": self.confirmado,
            "revision": self.revision,
            "muestra": [line.to_json() for line in self.lines[:sample]],
        }
        out["dias"] = self.extra.get("dias")
        out["pue"] = self.extra.get("pue")
        for key in ("hojas", "periodos", "curva_s", "revision_programa"):  # programa
            out[key] = self.extra.get(key)
        return out
