"""An OT's annex lines matched against the contract's concept catalog: by key (anexo, partida,
concepto), then by partida + unit (units normalised through the units catalog). A line not in the
catalog, or with another unit or price, is a warning naming the cell and showing both values.
With no active concept there is nothing to match: `load` answers None and no warning is given."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from ..annexes import rules
from ..annexes.rules import concept_key
from ..extensions import db
from ..models import Concepto
from .units import alias_map, normalise

NOT_IN_CATALOG = "no está en el catálogo de conceptos del contrato"


@dataclass(frozen=True)
class Known:
    anexo: str
    partida: str
    concepto: str
    unidad: str
    clave_unidad: str
    pu_mxn: Decimal
    pu_usd: Decimal


class CatalogIndex:
    def __init__(self, concepts: list[Known], aliases: dict[str, str]):
        self.aliases = aliases
        self.by_key: dict[tuple, Known] = {}
        self.by_text: dict[tuple, Known] = {}  # a line without anexo: partida + concepto
        self.by_partida_unit: dict[tuple, Known] = {}
        self.by_partida: dict[str, Known] = {}
        for c in concepts:
            partida, text = c.partida.strip(), concept_key(c.concepto)
            self.by_key.setdefault((c.anexo.strip().upper(), partida, text), c)
            self.by_text.setdefault((partida, text), c)
            self.by_partida_unit.setdefault((partida, c.clave_unidad), c)
            self.by_partida.setdefault(partida, c)

    def __len__(self) -> int:
        return len(self.by_key)

    def find(self, line) -> tuple[Known | None, str]:
        """(the concept, how it was found: "clave", "partida_unidad", "partida" or "")."""
        partida, text = line.partida.strip(), concept_key(line.concepto)
        anexo = line.anexo.strip().upper()
        found = self.by_key.get((anexo, partida, text)) if anexo else self.by_text.get((partida, text))
        if found is not None:
            return found, "clave"
        found = self.by_partida_unit.get((partida, normalise(line.unidad, self.aliases)))
        if found is not None:
            return found, "partida_unidad"
        found = self.by_partida.get(partida)
        return found, ("partida" if found else "")

    def check(self, cells, line) -> None:
        """The warnings of one line (cells: the kind's RowReader, so each names its cell)."""
        known, how = self.find(line)
        if known is None:
            cells.warning("partida", line.partida, NOT_IN_CATALOG)
            return
        if normalise(line.unidad, self.aliases) != known.clave_unidad:
            cells.warning(
                "unidad",
                line.unidad,
                f"unidad distinta a la del catálogo: el catálogo dice {known.unidad}, el archivo dice {line.unidad}",
            )
        if how == "partida":
            return  # another concept under that partida: its price says nothing about this line
        for role, label, mine, theirs in (
            ("pu_mxn", "P.U. M.N.", line.pu_mxn, known.pu_mxn),
            ("pu_usd", "P.U. USD", line.pu_usd, known.pu_usd),
        ):
            if role not in cells.layout.columns:
                continue  # the file has no such price (a sábana without P.U.): nothing to compare
            if Decimal(mine) != Decimal(theirs):
                cells.warning(
                    role,
                    rules.number_text(mine),
                    f"{label} distinto al del catálogo: el catálogo dice {rules.fmt(theirs)}, "
                    f"el archivo dice {rules.fmt(mine)}",
                )


def load() -> CatalogIndex | None:
    """The active concepts (two queries), or None when the catalog is not loaded."""
    rows = db.session.execute(
        select(
            Concepto.anexo,
            Concepto.partida,
            Concepto.concepto,
            Concepto.unidad,
            Concepto.pu_mxn,
            Concepto.pu_usd,
        ).where(Concepto.activo.is_(True))
    ).all()
    if not rows:
        return None
    aliases = alias_map()
    return CatalogIndex(
        [Known(a, p, c, u, normalise(u, aliases), Decimal(mx), Decimal(us)) for a, p, c, u, mx, us in rows],
        aliases,
    )
