"""/api/catalogos/<nombre>: a simple catalog's rows, by the slugs of the catalog pages (one registry)."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogs.read import options
from ..catalogs.registry import MODELS
from ..envelope import envelope
from ..errors import fail
from ..shapes import Shape
from .spec import Answer, Param, operation


@dataclass(frozen=True, slots=True)
class Catalogo(Shape):
    id: int
    nombre: str
    activo: bool


@operation(
    "GET",
    "/catalogos/<nombre>",
    tag="Catálogos",
    summary="Un catálogo: [{id, nombre, activo}]",
    parameters=(Param("nombre", {"type": "string", "enum": list(MODELS)}, required=True, where="path"),),
    answer=Answer("CatalogoRespuesta", datos=list[Catalogo]),
    ok="Las filas del catálogo.",
    codes=(400, 401, 404),
)
def catalogo(nombre: str):
    model = MODELS.get(nombre)
    if model is None:
        fail(404, f"No existe el catálogo {nombre}. Catálogos: {', '.join(MODELS)}.")
    rows = options(nombre)[nombre]
    datos = [Catalogo(id=r.id, nombre=r.nombre, activo=r.activo).to_json() for r in rows]
    return envelope(True, f"{len(datos)} registros", datos=datos)
