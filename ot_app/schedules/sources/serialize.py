"""The shape the OpenAPI document publishes for a program source's report (report.ProgramReport
.to_json builds the dict; tests/schedules check every answer against it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from ...annexes.serialize import Importe, Incidencia, Totales
from ...shapes import Encoding, Shape

Porcentaje = Annotated[str, Encoding({"type": "string", "pattern": r"^[0-9]{1,3}\.[0-9]{2}$"})]


@dataclass(frozen=True, slots=True)
class ActividadImportada(Shape):
    orden: int
    nivel: Annotated[int, "1: fase; 2: actividad."]
    wbs: str
    nombre: str
    inicio: Annotated[str | None, "ISO 8601."]
    fin: Annotated[str | None, "ISO 8601."]
    monto_mxn: Importe
    monto_usd: Importe
    peso_mxn: Annotated[
        str | None, "% del archivo (campo peso / ponderación), 2 decimales; null: el de omisión."
    ]
    peso_usd: Annotated[str | None, "% con 2 decimales; null: el de omisión."]
    avance: Annotated[Porcentaje, "% completado según el archivo."]
    ref: Annotated[str, "De dónde salió: tarea N, fila N, capítulo C."]


@dataclass(frozen=True, slots=True)
class ReportePrograma(Shape):
    """The dry run (or the confirmation) of a program from a file or an annex."""

    fuente: Annotated[str, "mspdi, mpp, sabana, anexo_c (archivo: rechazado antes de leerlo)."]
    archivo: str
    sha256: str
    formato: Annotated[str | None, "xml, mpp o mpx según el contenido; el del anexo si es derivado."]
    fases: int
    actividades: int
    ligas: int
    inicio: str | None
    fin: str | None
    totales: Totales
    errores: list[Incidencia]
    advertencias: list[Incidencia]
    errores_omitidos: int
    advertencias_omitidas: int
    confirmado: bool
    revision: Annotated[int | None, "La revisión del programa guardada."]
    id_anexo_revision: Annotated[int | None, "La revisión del anexo de la que se derivó."]
    muestra: Annotated[list[ActividadImportada], "Las primeras 50 filas."]
