"""The concept catalog's shapes for the API and the OpenAPI document: a concept, a page of them, an
import (revision) and a unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from ..annexes.serialize import Numero
from ..shapes import Shape


@dataclass(frozen=True, slots=True)
class ConceptoContrato(Shape):
    id: int
    anexo: Annotated[str, "Sub-anexo (C-2 … C-6); vacío si el archivo no lo dice."]
    partida: str
    concepto: str
    unidad: Annotated[str, "Como la escribe el archivo."]
    unidad_clave: Annotated[str | None, "La unidad del catálogo de unidades (DIA, M2, PZA…)."]
    pu_mxn: Numero
    pu_usd: Numero
    tipo: Annotated[str, "ordinario o pue (precio unitario extraordinario)."]
    fecha_sancion: date | None
    estatus: str
    capitulo: str | None
    activo: bool


@dataclass(frozen=True, slots=True)
class ConceptosPagina(Shape):
    conceptos: list[ConceptoContrato]
    total: Annotated[int, "Conceptos que cumplen el filtro (todas las páginas)."]
    pagina: int
    por_pagina: int


@dataclass(frozen=True, slots=True)
class RevisionCatalogo(Shape):
    n: int
    fecha: Annotated[str, "UTC, ISO 8601."]
    usuario: str
    archivo: str
    tamano: int
    sha256: str
    formato: str
    renglones: int
    nuevos: Annotated[int, "Conceptos que agregó."]
    cambiados: Annotated[int, "Conceptos cuya unidad, P.U., tipo, fecha de sanción o estatus cambió."]
    desactivados: Annotated[int, "Conceptos que faltaban en el archivo y pasaron a inactivos."]
    sin_cambio: int


@dataclass(frozen=True, slots=True)
class UnidadCatalogo(Shape):
    id: int
    clave: Annotated[str, "La unidad normalizada (DIA, M2, PZA…)."]
    nombre: str
    activo: bool
    alias: Annotated[list[str], "Las escrituras que se leen como esta unidad (DÍA, Día, M²…)."]
