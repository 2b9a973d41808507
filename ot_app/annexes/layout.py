"""Sheet and header discovery: the synonyms of each column, the header row (within the first 100,
a two-row merged header folded into one), and the sheet named for the kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .readers import Sheet, Workbook
from .rules import RuleError, fold

HEADER_WITHIN = 100

# Column roles and the spellings seen in real files (compared folded: case, accents, dots and
# spaces ignored). `columna` in the report is the header as written, not these.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "partida": ("PARTIDA", "PART", "NO PARTIDA", "CLAVE"),
    "concepto": (
        "CONCEPTO",
        "CONCEPTOS",
        "DESCRIPCION",
        "DESCRIPCION DE CONCEPTOS",
        "DESCRIPCION DEL CONCEPTO",
    ),
    "unidad": ("UNIDAD", "UNID", "UND", "UNIDAD DE MEDIDA", "U M"),
    "cantidad": (
        "CANTIDAD",
        "CANT",
        "VOLUMEN PTE",
        "VOLUMEN",
        "CANTIDADES DE REFERENCIA",
        "CANTIDAD DE REFERENCIA",
        "CANTIDAD PTE",
    ),
    "pu_mxn": ("P U M N", "PRECIO UNITARIO M N", "P U MXN", "PRECIO UNITARIO MXN", "P U"),
    "pu_usd": ("P U USD", "PRECIO UNITARIO USD", "P U DLS", "PRECIO UNITARIO DLS", "P U DLLS"),
    "importe_mxn": ("IMPORTE M N", "IMPORTE PTE M N", "M N", "IMPORTE MXN", "IMPORTE PTE MXN"),
    "importe_usd": ("IMPORTE USD", "IMPORTE PTE USD", "USD", "IMPORTE DLS", "IMPORTE PTE DLS"),
    "anexo": ("ANEXO", "SUBANEXO", "SUB ANEXO"),
    "totales": ("TOTALES",),
    "ok": ("OK",),
    "fecha_sancion": ("FECHA SANCION", "FECHA DE SANCION"),
    # The contract's catalog: heading levels flattened into columns, and a PUE's status.
    "id_padre": ("ID PADRE",),
    "id_madre": ("ID MADRE",),
    "id_hijo": ("ID HIJO",),
    "estatus": ("ESTATUS", "STATUS", "ESTATUS PUE"),
}
_LOOKUP = {fold(s): role for role, spellings in SYNONYMS.items() for s in spellings}
LABELS = {
    "partida": "PARTIDA",
    "concepto": "CONCEPTO",
    "unidad": "UNIDAD",
    "cantidad": "CANTIDAD",
    "pu_mxn": "P.U. M.N.",
    "pu_usd": "P.U. USD",
    "importe_mxn": "IMPORTE M.N.",
    "importe_usd": "IMPORTE USD",
    "totales": "TOTALES",
    "fecha_sancion": "FECHA SANCION",
    "id_hijo": "ID HIJO",
}


@dataclass(frozen=True)
class Requirement:
    """Required column roles; each entry is a role or a tuple of alternatives (one is enough)."""

    roles: tuple[str | tuple[str, ...], ...]

    def missing(self, found) -> list[str]:
        out = []
        for need in self.roles:
            options = need if isinstance(need, tuple) else (need,)
            if not any(o in found for o in options):
                out.append(" o ".join(LABELS.get(o, o) for o in options))
        return out

    @property
    def size(self) -> int:
        return len(self.roles)


@dataclass
class Layout:
    hoja: str | None
    fila_encabezado: int
    columns: dict[str, int]  # role → 0-based column
    names: dict[int, str]  # column → header as written
    header: list = field(default_factory=list)  # the header row's raw values (day columns are dates)

    def name(self, role_or_col) -> str:
        col = self.columns.get(role_or_col) if isinstance(role_or_col, str) else role_or_col
        if col is None:
            return LABELS.get(role_or_col, str(role_or_col))
        return self.names.get(col, LABELS.get(role_or_col, ""))


def _text(value) -> str:
    if value is None or isinstance(value, (date, datetime)):
        return ""
    return " ".join(str(value).split())


def roles_of(names: list[str]) -> dict[str, int]:
    """Role → leftmost column whose header is one of its spellings."""
    found: dict[str, int] = {}
    for col, name in enumerate(names):
        role = _LOOKUP.get(fold(name)) if name else None
        if role and role not in found:
            found[role] = col
    return found


def fold_two_rows(upper: list, lower: list) -> list[str]:
    """A human header merged over two rows (PRECIO UNITARIO → M.N. / USD) as one row of names:
    a merged group's text is carried right over the sub-labels under it."""
    names, group = [], None
    for col in range(max(len(upper), len(lower))):
        u = _text(upper[col]) if col < len(upper) else ""
        low = _text(lower[col]) if col < len(lower) else ""
        if u:
            group = u if low else None
            names.append(f"{u} {low}" if low else u)
        elif low:
            names.append(f"{group} {low}" if group else low)
        else:
            group = None
            names.append("")
    return names


def _has_numbers(row: list) -> bool:
    return any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row)


def find_header(sheet: Sheet, need: Requirement, rows_iter) -> tuple[Layout | None, list, list[str]]:
    """(layout, the buffered rows after the header, the best candidate's missing columns).
    `rows_iter` is the sheet's iterator; rows read past the header are handed back."""
    buffer: list[tuple[int, list]] = []
    for item in rows_iter:
        buffer.append(item)
        if len(buffer) >= HEADER_WITHIN + 4:
            break
    best_missing: list[str] | None = None
    best_score = 1
    for i, (_fila, row) in enumerate(buffer[:HEADER_WITHIN]):
        names = [_text(v) for v in row]
        found = roles_of(names)
        span = 1
        if i + 1 < len(buffer) and not _has_numbers(buffer[i + 1][1]):
            folded = fold_two_rows(row, buffer[i + 1][1])
            folded_found = roles_of(folded)
            if len(need.missing(folded_found)) < len(need.missing(found)):
                names, found, span = folded, folded_found, 2
        missing = need.missing(found)
        score = need.size - len(missing)
        if missing:
            if score > best_score:
                best_score, best_missing = score, missing
            continue
        header_index = i + span - 1
        # An Excel Table's own header a few rows below a human header: the data starts after it.
        for j in range(header_index + 1, min(header_index + 4, len(buffer))):
            later = [_text(v) for v in buffer[j][1]]
            later_found = roles_of(later)
            if not need.missing(later_found):
                names, found, header_index = later, later_found, j
                break
        layout = Layout(
            sheet.name,
            buffer[header_index][0],
            found,
            {c: n for c, n in enumerate(names) if n},
            list(buffer[header_index][1]),
        )
        return layout, buffer[header_index + 1 :], []
    return None, [], best_missing or []


def choose_sheet(workbook: Workbook, sheet_names: tuple[str, ...], need: Requirement):
    """The sheet named for the kind, else the first visible sheet with a header. Returns
    (sheet, layout, rows after the header, the rest of the iterator)."""
    wanted = {fold(n) for n in sheet_names}
    named = [s for s in workbook.sheets if s.name is not None and fold(s.name) in wanted]
    candidates = named or [s for s in workbook.sheets if s.visible]
    best_missing: list[str] = []
    for sheet in candidates:
        rows_iter = sheet.rows()
        layout, pending, missing = find_header(sheet, need, rows_iter)
        if layout is not None:
            return sheet, layout, pending, rows_iter
        if len(missing) and (not best_missing or len(missing) < len(best_missing)):
            best_missing = missing
    if best_missing:
        raise RuleError("faltan columnas: " + ", ".join(best_missing))
    raise RuleError("no se encontró el encabezado")
