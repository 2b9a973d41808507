"""The units catalog: base units with the spellings seen in real files, and how a unit written in a
file becomes its canonical `clave` (folded, then looked up among the aliases)."""

from __future__ import annotations

from sqlalchemy import select

from ..annexes.rules import fold
from ..extensions import db
from ..models import Unidad, UnidadAlias

# clave → (name shown, other spellings). Spellings are folded before they are stored, so DÍA, DIA
# and Día are one alias; M² folds to M2 by itself.
BASE_UNITS: dict[str, tuple[str, tuple[str, ...]]] = {
    "DIA": ("Día", ("DÍAS", "DIAS", "D")),
    "M2": ("m²", ("M²", "MTS2", "MT2", "METRO CUADRADO", "METROS CUADRADOS")),
    "M3": ("m³", ("M³", "MTS3", "MT3", "METRO CUBICO", "METROS CUBICOS")),
    "M": ("m", ("ML", "MTS", "MT", "METRO", "METROS", "METRO LINEAL")),
    "PZA": ("Pieza", ("PIEZA", "PIEZAS", "PZAS", "PZ", "PZS")),
    "HH": ("Hora-hombre", ("H-H", "HORA HOMBRE", "HORAS HOMBRE")),
    "JOR": ("Jornada", ("JORNADA", "JORNADAS", "JORN")),
    "HR": ("Hora", ("HORA", "HORAS", "HRS", "H")),
    "TON": ("Tonelada", ("TONELADA", "TONELADAS", "TONS")),
    "KG": ("Kilogramo", ("KILOGRAMO", "KILOGRAMOS", "KGS")),
    "LOTE": ("Lote", ("LOTES",)),
    "SERV": ("Servicio", ("SERVICIO", "SERVICIOS", "SERVS")),
    "MES": ("Mes", ("MESES",)),
    "JGO": ("Juego", ("JUEGO", "JUEGOS")),
    "EQ": ("Equipo", ("EQUIPO", "EQUIPOS")),
    "KM": ("Kilómetro", ("KILOMETRO", "KILOMETROS")),
    "LT": ("Litro", ("LITRO", "LITROS", "LTS")),
    "VIAJE": ("Viaje", ("VIAJES",)),
}


def seed_units() -> int:
    """Idempotent: the base units and their aliases that are missing (renamed ones are kept)."""
    added = 0
    units = {u.clave: u for u in db.session.scalars(select(Unidad))}
    taken = set(db.session.scalars(select(UnidadAlias.alias)))
    for clave, (nombre, spellings) in BASE_UNITS.items():
        unit = units.get(clave)
        if unit is None:
            unit = Unidad(clave=clave, nombre=nombre, activo=True)
            db.session.add(unit)
            added += 1
        for spelling in (clave, nombre, *spellings):
            alias = fold(spelling)
            if alias and alias not in taken:
                unit.alias.append(UnidadAlias(alias=alias))
                taken.add(alias)
                added += 1
    db.session.flush()
    return added


def alias_map() -> dict[str, str]:
    """Folded spelling → clave of an active unit (one query)."""
    rows = db.session.execute(
        select(UnidadAlias.alias, Unidad.clave).join(Unidad).where(Unidad.activo.is_(True))
    ).all()
    return dict(rows)


def normalise(unidad: str, aliases: dict[str, str]) -> str:
    """The unit's clave; a spelling the catalog does not know compares by its folded self."""
    folded = fold(unidad or "")
    return aliases.get(folded, folded)


def unit_ids() -> dict[str, int]:
    return dict(db.session.execute(select(Unidad.clave, Unidad.id)).all())
