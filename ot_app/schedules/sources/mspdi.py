"""MS Project XML (MSPDI) → Plan: tasks by outline level, dates, durations, finish-to-start links
with lag, % complete, a custom field aliased peso / ponderación as the weight, costs as amounts.
Pure: bytes in, (Plan, report) out. XML through defusedxml (no DTD, no entities), bounded.

Two levels from any depth: a level-1 task with subtasks is a phase; every task without subtasks
below it is an activity of that phase, named after the summary tasks between (``Obra civil /
Cimentación``); a level-1 task without subtasks is a phase holding one activity of its name.
Links: MS Project's other types (SS, FF, SF) are taken as finish-to-start with a warning (the
program stores finish-to-start only, and refusing a whole file for one link helps nobody);
links touching a summary task or another project are left out with a warning."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from ...annexes.rules import fold
from ...models import OrigenPrograma
from ..plan import ActividadPlan, LigaPlan, Plan
from .report import ProgramReport, clip

NS = "{http://schemas.microsoft.com/project}"
MAX_TASKS = 20_000
WEIGHT_ALIASES = {"PESO", "PONDERACION"}
LINK_TYPES = {
    "0": "fin a fin (FF)",
    "1": "fin a inicio (FS)",
    "2": "inicio a fin (SF)",
    "3": "inicio a inicio (SS)",
}
# LagFormat codes of elapsed units (24-hour days) and of percentages (no fixed length).
_ELAPSED = {4, 6, 8, 10, 12, 36, 38, 40, 42, 44}
_PERCENT = {19, 20, 51, 52}
_DURATION = re.compile(
    r"^-?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
NOT_MSPDI = "el archivo no es un proyecto de MS Project en XML (MSPDI)"


@dataclass
class _Task:
    uid: str
    id: str
    nivel: int
    nombre: str
    wbs: str
    inicio: date | None
    fin: date | None
    minutos: float | None
    avance: Decimal
    costo: Decimal
    peso: Decimal | None
    links: list = field(default_factory=list)
    summary: bool = False


def _text(el, tag: str) -> str:
    value = el.findtext(NS + tag)
    return value.strip() if value else ""


def _date(value: str) -> date | None:
    if not value:
        return None
    return datetime.fromisoformat(value[:19]).date()


def _minutes(value: str) -> float | None:
    """An ISO 8601 duration as MSPDI writes it (PT40H0M0S) in minutes."""
    match = _DURATION.match(value or "")
    if not match or not value:
        return None
    y, mo, d, h, mi, s = (float(g) if g else 0.0 for g in match.groups())
    return ((y * 365 + mo * 30 + d) * 24 + h) * 60 + mi + s / 60


def _decimal(value: str) -> Decimal:
    return Decimal(value)


def parse(
    nombre: str, data: bytes, origen: OrigenPrograma = OrigenPrograma.MSPDI
) -> tuple[Plan | None, ProgramReport]:
    report = ProgramReport(
        origen.value, nombre, formato="xml" if origen == OrigenPrograma.MSPDI else origen.value
    )
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        report.error(None, None, None, NOT_MSPDI)
        return None, report
    if root.tag != NS + "Project":
        report.error(None, None, None, NOT_MSPDI)
        return None, report
    per_day = int(_text(root, "MinutesPerDay") or 480) or 480
    moneda = (_text(root, "CurrencyCode") or "MXN").upper()
    if moneda not in ("MXN", "USD"):
        report.warning(None, "CurrencyCode", moneda, "moneda distinta de MXN y USD: los costos no se toman")
    weight_ids = {
        _text(ea, "FieldID")
        for ea in root.iterfind(f"{NS}ExtendedAttributes/{NS}ExtendedAttribute")
        if fold(_text(ea, "Alias")) in WEIGHT_ALIASES
    }
    tasks = _tasks(root, report, weight_ids)
    if tasks is None:
        return None, report
    plan = _fold(tasks, report, per_day, moneda, origen)
    report.plan = plan
    return plan, report


def _tasks(root, report: ProgramReport, weight_ids: set[str]) -> list[_Task] | None:
    tasks: list[_Task] = []
    for el in root.iterfind(f"{NS}Tasks/{NS}Task"):
        if len(tasks) >= MAX_TASKS:
            report.error(
                None, None, None, f"el programa excede el tamaño permitido (más de {MAX_TASKS:,} tareas)"
            )
            return None
        if _text(el, "IsNull") == "1":
            continue  # a blank row of the Gantt table
        uid, tid = _text(el, "UID"), _text(el, "ID") or _text(el, "UID")
        try:
            nivel = int(_text(el, "OutlineLevel") or "1")
        except ValueError:
            nivel = 1
        if uid == "0" or nivel == 0:
            continue  # the project's own summary task
        fila = int(tid) if tid.isdigit() else None
        nombre = " ".join(_text(el, "Name").split())
        if not nombre:
            report.error(fila, "Name", None, "tarea sin nombre")
        try:
            inicio, fin = _date(_text(el, "Start")), _date(_text(el, "Finish"))
        except ValueError:
            report.error(fila, "Start", _text(el, "Start"), "fecha inválida")
            inicio = fin = None
        try:
            avance = _decimal(_text(el, "PercentComplete") or "0")
            if not 0 <= avance <= 100:
                raise InvalidOperation
        except InvalidOperation:
            report.error(fila, "PercentComplete", _text(el, "PercentComplete"), "porcentaje inválido")
            avance = Decimal(0)
        try:
            costo = (_decimal(_text(el, "Cost") or "0") / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if costo < 0:
                raise InvalidOperation
        except InvalidOperation:
            report.error(fila, "Cost", _text(el, "Cost"), "costo inválido")
            costo = Decimal(0)
        peso = None
        for ea in el.iterfind(NS + "ExtendedAttribute"):
            if _text(ea, "FieldID") in weight_ids:
                raw = _text(ea, "Value")
                try:
                    peso = _decimal(raw.replace("%", "").strip() or "0")
                    if not 0 <= peso <= 100:
                        raise InvalidOperation
                except InvalidOperation:
                    report.error(fila, "peso", raw, "peso inválido: un porcentaje de 0 a 100")
                    peso = None
        links = [
            (
                _text(link, "PredecessorUID"),
                _text(link, "Type") or "1",
                _text(link, "LinkLag") or "0",
                _text(link, "LagFormat") or "7",
                _text(link, "CrossProject") == "1",
            )
            for link in el.iterfind(NS + "PredecessorLink")
        ]
        tasks.append(
            _Task(
                uid,
                tid,
                nivel,
                nombre,
                _text(el, "WBS") or _text(el, "OutlineNumber"),
                inicio,
                fin,
                _minutes(_text(el, "Duration")),
                avance,
                costo,
                peso,
                links,
                _text(el, "Summary") == "1",
            )
        )
    for i, task in enumerate(tasks):  # a task is a summary when the next one is deeper
        if i + 1 < len(tasks) and tasks[i + 1].nivel > task.nivel:
            task.summary = True
        elif task.summary:
            task.summary = False  # a summary flag without subtasks: nothing to fold under it
    if not tasks:
        report.error(None, None, None, "el proyecto no tiene tareas")
        return None
    return tasks


def _fold(tasks: list[_Task], report: ProgramReport, per_day: int, moneda: str, origen) -> Plan:
    plan = Plan(origen)
    index: dict[str, int] = {}  # task UID → activity index in plan.actividades
    path: list[_Task] = []  # the summary tasks above the current one
    for task in tasks:
        while path and path[-1].nivel >= task.nivel:
            path.pop()
        fila = int(task.id) if task.id.isdigit() else None
        if task.nivel == 1:
            plan.actividades.append(
                ActividadPlan(
                    clip(task.nombre),
                    1,
                    task.wbs[:40],
                    ref=f"tarea {task.id}",
                    inicio=task.inicio,
                    fin=task.fin,
                )
            )
            if task.summary:
                path.append(task)
                continue
        elif task.summary:
            path.append(task)
            continue
        if task.inicio is None:
            report.error(fila, "Start", None, "tarea sin fecha de inicio")
        fin = task.fin
        if fin is None and task.inicio is not None and task.minutos is not None:
            fin = task.inicio + timedelta(days=max(0, -(-task.minutos // per_day) - 1))
        if fin is None:
            report.error(fila, "Finish", None, "tarea sin fecha de término")
        elif task.inicio is not None and fin < task.inicio:
            report.error(fila, "Finish", fin.isoformat(), "termina antes de empezar")
        nombre = " / ".join([t.nombre for t in path if t.nivel > 1] + [task.nombre])
        actividad = ActividadPlan(
            clip(nombre),
            2,
            task.wbs[:40],
            inicio=task.inicio,
            fin=fin,
            monto_mxn=task.costo if moneda == "MXN" else Decimal(0),
            monto_usd=task.costo if moneda == "USD" else Decimal(0),
            peso_mxn=task.peso,
            peso_usd=task.peso,
            avance=task.avance.quantize(Decimal("0.01"), ROUND_HALF_UP),
            ref=f"tarea {task.id}",
        )
        index[task.uid] = len(plan.actividades)
        plan.actividades.append(actividad)
    summaries = {t.uid for t in tasks if t.summary or t.nivel == 1}
    for task in tasks:
        fila = int(task.id) if task.id.isdigit() else None
        for pred, tipo, lag, formato, cross in task.links:
            if cross:
                report.warning(fila, "PredecessorLink", pred, "liga con otro proyecto: omitida")
                continue
            a, b = index.get(pred), index.get(task.uid)
            if a is None or b is None:
                if pred in summaries or task.uid in summaries:
                    report.warning(
                        fila, "PredecessorLink", pred, "liga con una tarea resumen (fase): omitida"
                    )
                else:
                    report.warning(fila, "PredecessorLink", pred, "liga con una tarea que no existe: omitida")
                continue
            if tipo != "1":
                report.warning(
                    fila,
                    "PredecessorLink",
                    LINK_TYPES.get(tipo, tipo),
                    f"liga {LINK_TYPES.get(tipo, tipo)} tomada como fin a inicio",
                )
            plan.ligas.append(LigaPlan(a, b, _lag_days(report, fila, lag, formato, per_day)))
    plan.extra["fuente"] = {"tareas": len(tasks), "moneda": moneda}
    return plan


def _lag_days(report: ProgramReport, fila, lag: str, formato: str, per_day: int) -> int:
    """LinkLag is in tenths of a minute; a working day is the project's MinutesPerDay, an elapsed
    day 1,440 minutes. A lag in % of the predecessor has no fixed length: 0, with a warning."""
    try:
        tenths, code = Decimal(lag), int(formato)
    except (InvalidOperation, ValueError):
        report.warning(fila, "LinkLag", lag, "retraso inválido: se toma 0")
        return 0
    if code in _PERCENT:
        report.warning(fila, "LinkLag", lag, "retraso en porcentaje: se toma 0")
        return 0
    minutes = tenths / 10
    days = minutes / (1440 if code in _ELAPSED else per_day)
    return int(days.quantize(Decimal(1), ROUND_HALF_UP))
