"""Kind `catalogo`: the contract's concept catalog read with the annex importer's machinery. A
workbook holds one sheet per sub-anexo (C-2-CR … C-6-CR) and maybe a PUE list; a sábana's
workbook brings its PUE sheet. Heading levels may come flattened into ID PADRE / ID MADRE / ID HIJO
columns instead of chapter and sub-heading rows. The same report as every kind; nothing is stored
here (commands.py compares with the stored catalog and confirms)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date

from ..annexes import rules
from ..annexes.detect import TOO_LARGE
from ..annexes.kinds import _HEADER_REPEAT, _TOTAL_RE, RowReader, _present, is_chapter_code
from ..annexes.layout import Requirement, find_header
from ..annexes.report import Line, Report
from ..annexes.rules import ZERO, RuleError, fold
from ..annexes.sabana import _SheetReport, to_date
from ..models import TipoConcepto

_SUBANEXO = re.compile(r"^(?:ANEXO)?C(\d)")  # a folded sheet name: C-2-CR → C2CR, ANEXO C-3 → ANEXOC3


def subanexo(sheet_name: str | None) -> str | None:
    """`C-2` for a sheet named C-2-CR (or ANEXO C-2); None for any other sheet."""
    match = _SUBANEXO.match(fold(sheet_name or ""))
    return f"C-{match.group(1)}" if match else None


def is_pue_sheet(sheet_name: str | None) -> bool:
    return fold(sheet_name or "").startswith("PUE")


@dataclass
class ConceptLine(Line):
    """A concept as read from the file: a Line (the report's shape) plus what a concept adds."""

    tipo: str = TipoConcepto.ORDINARIO.value
    fecha_sancion: date | None = None
    estatus: str = ""
    clave_unidad: str = ""


class Catalogo:
    tipo = "catalogo"
    titulo = "Catálogo de conceptos del contrato"
    requirement = Requirement(
        (("partida", "id_hijo", "id_madre"), "concepto", "unidad", ("pu_mxn", "pu_usd"))
    )

    def __init__(self, reference=None):
        # reference: {"aliases": folded spelling → unit clave} from the units catalog.
        self.reference = reference or {}
        self.catalog = None  # a catalog is not matched against itself
        self.sheet = None
        self.skip_rows = False

    # --- sheets ------------------------------------------------------------------------------

    def read_workbook(self, report: Report, workbook, limits) -> None:
        self.aliases: dict[str, str] = self.reference.get("aliases") or {}
        self.seen: dict[tuple, tuple[str | None, int, ConceptLine]] = {}
        self.partidas: dict[tuple[str, str], str] = {}
        named = [s for s in workbook.sheets if subanexo(s.name) or is_pue_sheet(s.name)]
        sheets = named or [s for s in workbook.sheets if s.visible]
        found = 0
        rows_read = 0
        best_missing: list[str] = []
        for sheet in sheets:
            rows_iter = sheet.rows()
            layout, pending, missing = find_header(sheet, self.requirement, rows_iter)
            if layout is None:
                if named:  # a sheet named for the catalog must be readable
                    mensaje = (
                        "faltan columnas: " + ", ".join(missing)
                        if missing
                        else "no se encontró el encabezado"
                    )
                    report.error(None, None, None, mensaje, hoja=sheet.name)
                elif missing and (not best_missing or len(missing) < len(best_missing)):
                    best_missing = missing
                continue
            found += 1
            if report.hoja is None:
                report.hoja, report.fila_encabezado = layout.hoja, layout.fila_encabezado
            state = _SheetState(
                report=_SheetReport(report, sheet.name),
                layout=layout,
                anexo=subanexo(sheet.name) or "",
                pue=is_pue_sheet(sheet.name) or "fecha_sancion" in layout.columns,
                flattened=any(r in layout.columns for r in ("id_padre", "id_madre", "id_hijo")),
            )
            for fila, row in itertools.chain(pending, rows_iter):
                rows_read += 1
                if rows_read > limits.max_rows:
                    report.error(
                        None, None, None, f"{TOO_LARGE} (más de {limits.max_rows:,} renglones)", hoja=None
                    )
                    report.lines = []
                    return
                self.row(report, state, fila, row)
        if not found and report.ok:
            if best_missing:
                raise RuleError("faltan columnas: " + ", ".join(best_missing))
            raise RuleError("no se encontró el encabezado")
        if not report.lines and report.ok:
            report.error(None, None, None, "sin renglones")
        report.extra["pue"] = None

    # --- rows --------------------------------------------------------------------------------

    def row(self, report: Report, state: _SheetState, fila: int, row: list) -> None:
        cells = RowReader(state.report, state.layout, fila, row)
        hijo, madre, padre = cells.text("id_hijo"), cells.text("id_madre"), cells.text("id_padre")
        partida = cells.text("partida") or hijo or (madre if not state.flattened else "")
        concepto, unidad = cells.text("concepto"), cells.text("unidad")
        prices = [cells.raw("pu_mxn"), cells.raw("pu_usd")]
        if not (partida or hijo or madre or padre or concepto or unidad or any(_present(v) for v in prices)):
            return
        if fold(partida or hijo) in ("PARTIDA", "IDHIJO") and fold(concepto) in _HEADER_REPEAT:
            return  # the header repeated
        if not unidad and (_TOTAL_RE.match(partida) or _TOTAL_RE.match(concepto)):
            return  # a catalog's totals say nothing about its concepts
        has_price = any(_present(v) for v in prices)
        if unidad or (has_price and (hijo or (not state.flattened and not is_chapter_code(partida)))):
            self.concept(report, state, cells, partida, concepto, unidad, padre)
            return
        # A heading: flattened, ID PADRE alone is a chapter and ID MADRE a sub-heading.
        if (state.flattened and padre and not madre and not hijo) or (
            not state.flattened and partida and is_chapter_code(partida)
        ):
            code = (padre if state.flattened else partida).rstrip(".").strip()
            state.capitulo, state.subencabezado = code[:60] or None, None
            report.capitulos += 1
        else:
            state.subencabezado = concepto or madre or partida
            report.subencabezados += 1

    def concept(self, report, state, cells: RowReader, partida, concepto, unidad, padre) -> None:
        if not unidad:
            cells.error("unidad", None, "unidad requerida")
        if not partida:
            cells.error(
                "partida" if "partida" in state.layout.columns else "id_hijo", None, "partida requerida"
            )
        if not concepto:
            cells.error("concepto", None, "concepto requerido")
        anexo = cells.text("anexo") or state.anexo
        estatus = cells.text("estatus")
        for role, value, size in (
            ("partida", partida, 60),
            ("unidad", unidad, 40),
            ("anexo", anexo, 40),
            ("estatus", estatus, 60),
        ):
            if len(value) > size:
                cells.error(role, value[:80], f"más de {size} caracteres")
        pu_mxn = cells.number("pu_mxn", rules.unit_price, None)
        pu_usd = cells.number("pu_usd", rules.unit_price, None)
        fecha = None
        raw_fecha = cells.raw("fecha_sancion")
        if _present(raw_fecha):
            try:
                fecha = to_date(raw_fecha)
            except RuleError as err:
                cells.error("fecha_sancion", raw_fecha, err.mensaje)
        if cells.errors:
            return
        if pu_mxn == 0 and pu_usd == 0:
            cells.warning("pu_mxn", "0", "precio cero")
        folded_unit = fold(unidad)
        if self.aliases and folded_unit not in self.aliases:
            cells.warning("unidad", unidad, "unidad que no está en el catálogo de unidades")
        line = ConceptLine(
            state.report.hoja,
            cells.fila,
            anexo,
            partida,
            concepto,
            unidad,
            ZERO,
            pu_mxn,
            pu_usd,
            ZERO,
            ZERO,
            (padre.rstrip(".").strip()[:60] or None) if state.flattened and padre else state.capitulo,
            state.subencabezado,
            tipo=(TipoConcepto.PUE if state.pue else TipoConcepto.ORDINARIO).value,
            fecha_sancion=fecha,
            estatus=estatus,
            clave_unidad=self.aliases.get(folded_unit, folded_unit),
        )
        key = rules.line_key(anexo, partida, concepto)
        before = self.seen.get(key)
        if before is not None:
            hoja, fila, prev = before
            where = f"de la fila {fila}" if hoja == line.hoja else f"de la hoja {hoja}, fila {fila}"
            if (prev.pu_mxn, prev.pu_usd) != (pu_mxn, pu_usd):
                cells.error(
                    "pu_mxn",
                    rules.number_text(pu_mxn),
                    f"misma partida y concepto con distinto P.U. ({where})",
                )
            else:
                cells.error("partida", partida, f"concepto duplicado {where}")
            return
        self.seen[key] = (line.hoja, cells.fila, line)
        first = self.partidas.setdefault((key[0], key[1]), key[2])
        if first != key[2]:
            cells.warning("partida", partida, "partida repetida con distinto concepto")
        report.lines.append(line)


@dataclass
class _SheetState:
    report: _SheetReport
    layout: object
    anexo: str
    pue: bool
    flattened: bool
    capitulo: str | None = None
    subencabezado: str | None = None
