"""MS Project XML (MSPDI) as a program source: outline levels folded into phase → activity, WBS,
dates, durations, links with lag (other types taken as finish-to-start, with a warning), % complete,
the weight custom field aliased peso / ponderación, costs as amounts; refused files. The XML is
written here, the way MS Project saves it."""

from datetime import date
from decimal import Decimal

import pytest

from ot_app.annexes.detect import Limits
from ot_app.schedules.sources import read_project
from ot_app.schedules.sources.mspdi import parse

D = Decimal


def task(
    uid,
    name,
    level,
    start=None,
    finish=None,
    *,
    wbs=None,
    duration="PT40H0M0S",
    pct=0,
    cost=None,
    links=(),
    weight=None,
    summary=None,
    id_=None,
):
    """One <Task>: links are (predecessor uid, type, lag in tenths of minutes, lag format)."""
    parts = [
        f"<UID>{uid}</UID>",
        f"<ID>{id_ if id_ is not None else uid}</ID>",
        f"<Name>{name}</Name>",
        f"<WBS>{wbs or uid}</WBS>",
        f"<OutlineLevel>{level}</OutlineLevel>",
    ]
    if summary is not None:
        parts.append(f"<Summary>{summary}</Summary>")
    if start:
        parts.append(f"<Start>{start}T08:00:00</Start>")
    if finish:
        parts.append(f"<Finish>{finish}T17:00:00</Finish>")
    if duration:
        parts.append(f"<Duration>{duration}</Duration>")
    parts.append(f"<PercentComplete>{pct}</PercentComplete>")
    if cost is not None:
        parts.append(f"<Cost>{cost}</Cost>")
    for pred, tipo, lag, fmt in links:
        parts.append(
            f"<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>{tipo}</Type>"
            f"<CrossProject>0</CrossProject><LinkLag>{lag}</LinkLag><LagFormat>{fmt}</LagFormat></PredecessorLink>"
        )
    if weight is not None:
        parts.append(
            f"<ExtendedAttribute><FieldID>188743767</FieldID><Value>{weight}</Value></ExtendedAttribute>"
        )
    return "<Task>" + "".join(parts) + "</Task>"


def project(*tasks, alias="Peso", currency="MXN", minutes_per_day=480) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Project xmlns="http://schemas.microsoft.com/project">'
        f"<Name>obra.xml</Name><CurrencyCode>{currency}</CurrencyCode><MinutesPerDay>{minutes_per_day}</MinutesPerDay>"
        "<ExtendedAttributes><ExtendedAttribute><FieldID>188743767</FieldID><FieldName>Number1</FieldName>"
        f"<Alias>{alias}</Alias></ExtendedAttribute></ExtendedAttributes>"
        "<Tasks>"
        "<Task><UID>0</UID><ID>0</ID><Name>Obra</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary></Task>"
        + "".join(tasks)
        + "</Tasks></Project>"
    ).encode()


SAMPLE = project(
    task(1, "Ingeniería", 1, "2026-02-02", "2026-02-20", wbs="1", summary=1),
    task(2, "Levantamiento", 2, "2026-02-02", "2026-02-06", wbs="1.1", pct=100, cost=10000000, weight="25"),
    task(
        3,
        "Ingeniería de detalle",
        2,
        "2026-02-09",
        "2026-02-20",
        wbs="1.2",
        pct=40,
        cost=30000000,
        weight="75",
        links=[(2, 1, 9600, 7)],
    ),
    task(4, "Patio", 1, "2026-02-23", "2026-03-13", wbs="2", summary=1),
    task(5, "Prefabricado", 2, wbs="2.1", summary=1),
    task(6, "Corte", 3, "2026-02-23", "2026-03-02", wbs="2.1.1", links=[(3, 3, 0, 7)]),
    task(7, "Soldadura", 3, "2026-03-03", "2026-03-13", wbs="2.1.2", links=[(6, 1, 14400, 8)]),
    task(8, "Entrega", 1, "2026-03-16", "2026-03-16", wbs="3", duration="PT0H0M0S"),
)


def test_outline_levels_fold_into_phases_and_activities():
    plan, report = parse("obra.xml", SAMPLE)
    assert report.ok, report.errores
    assert [(a.nivel, a.wbs, a.nombre) for a in plan.actividades] == [
        (1, "1", "Ingeniería"),
        (2, "1.1", "Levantamiento"),
        (2, "1.2", "Ingeniería de detalle"),
        (1, "2", "Patio"),
        (2, "2.1.1", "Prefabricado / Corte"),  # a level-3 task under a level-2 summary
        (2, "2.1.2", "Prefabricado / Soldadura"),
        (1, "3", "Entrega"),  # a level-1 task without subtasks: a phase with one activity
        (2, "3", "Entrega"),
    ]
    levantamiento, detalle = plan.actividades[1], plan.actividades[2]
    assert (levantamiento.inicio, levantamiento.fin) == (date(2026, 2, 2), date(2026, 2, 6))
    assert (levantamiento.avance, detalle.avance) == (D("100.00"), D("40.00"))
    assert (levantamiento.monto_mxn, detalle.monto_mxn, detalle.monto_usd) == (
        D("100000.00"),
        D("300000.00"),
        0,
    )
    assert (levantamiento.peso_mxn, detalle.peso_mxn, detalle.peso_usd) == (D("25"), D("75"), D("75"))
    assert plan.actividades[4].peso_mxn is None


def test_links_keep_their_lag_and_other_types_are_taken_as_finish_to_start():
    plan, report = parse("obra.xml", SAMPLE)
    assert [(lk.predecesora, lk.sucesora, lk.retraso_dias) for lk in plan.ligas] == [
        (1, 2, 2),  # 9,600 tenths of a minute = 960 min = 2 working days of 480
        (2, 4, 0),  # start-to-start, taken as finish-to-start
        (4, 5, 1),  # 14,400 = 1,440 elapsed minutes = 1 day
    ]
    assert [(w.fila, w.mensaje) for w in report.advertencias] == [
        (6, "liga inicio a inicio (SS) tomada como fin a inicio")
    ]


def test_a_link_to_a_summary_task_is_left_out_with_a_warning():
    data = project(
        task(1, "Fase", 1, "2026-02-02", "2026-02-20", summary=1),
        task(2, "A", 2, "2026-02-02", "2026-02-06"),
        task(3, "B", 2, "2026-02-09", "2026-02-20", links=[(1, 1, 0, 7)]),
    )
    plan, report = parse("p.xml", data)
    assert plan.ligas == []
    assert [w.mensaje for w in report.advertencias] == ["liga con una tarea resumen (fase): omitida"]


@pytest.mark.parametrize("alias", ["Ponderación", "PONDERACION", "peso", " Peso "])
def test_the_weight_field_is_found_by_its_alias_in_any_case_or_accent(alias):
    data = project(
        task(1, "F", 1, summary=1), task(2, "A", 2, "2026-02-02", "2026-02-06", weight="100"), alias=alias
    )
    plan, _ = parse("p.xml", data)
    assert plan.actividades[1].peso_mxn == D("100")


def test_another_alias_is_not_a_weight():
    data = project(
        task(1, "F", 1, summary=1), task(2, "A", 2, "2026-02-02", "2026-02-06", weight="100"), alias="Costo"
    )
    plan, _ = parse("p.xml", data)
    assert plan.actividades[1].peso_mxn is None


def test_costs_follow_the_projects_currency():
    data = project(
        task(1, "F", 1, summary=1), task(2, "A", 2, "2026-02-02", "2026-02-06", cost=123450), currency="USD"
    )
    plan, _ = parse("p.xml", data)
    assert (plan.actividades[1].monto_mxn, plan.actividades[1].monto_usd) == (0, D("1234.50"))


def test_a_missing_finish_comes_from_the_duration():
    data = project(task(1, "F", 1, summary=1), task(2, "A", 2, "2026-02-02", None, duration="PT24H0M0S"))
    plan, report = parse("p.xml", data)
    assert report.ok
    assert plan.actividades[1].fin == date(2026, 2, 4)  # 3 days of 8 hours


@pytest.mark.parametrize(
    "tarea, mensaje",
    [
        (task(2, "A", 2, None, None, duration=None), "tarea sin fecha de inicio"),
        (task(2, "A", 2, "2026-02-10", "2026-02-02"), "termina antes de empezar"),
        (task(2, "A", 2, "2026-02-02", "2026-02-06", pct=140), "porcentaje inválido"),
        (
            task(2, "A", 2, "2026-02-02", "2026-02-06", weight="abc"),
            "peso inválido: un porcentaje de 0 a 100",
        ),
        (task(2, "", 2, "2026-02-02", "2026-02-06"), "tarea sin nombre"),
    ],
)
def test_task_errors_name_the_task_row(tarea, mensaje):
    _, report = parse("p.xml", project(task(1, "F", 1, summary=1), tarea))
    assert (report.errores[0].fila, report.errores[0].mensaje) == (2, mensaje)


@pytest.mark.parametrize(
    "data, mensaje",
    [
        (b"<html><body>no</body></html>", "el archivo no es un proyecto de MS Project (HTML)"),
        (b"<?xml version='1.0'?><Otro/>", "el archivo no es un proyecto de MS Project en XML (MSPDI)"),
        (
            b"<Project xmlns='http://schemas.microsoft.com/project'><Tasks>",
            "el archivo no es un proyecto de MS Project en XML (MSPDI)",
        ),
        (
            b"PK\x03\x04rest",
            "el archivo es una hoja de cálculo: impórtelo como anexo «programa» (DT-6, DE-MN, DE-ME)",
        ),
        (b"hola", "formato no reconocido: se aceptan proyectos de MS Project (.xml MSPDI, .mpp, .mpx)"),
        (
            b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><Project xmlns="http://schemas.microsoft.com/project"/>',
            "el archivo no es un proyecto de MS Project en XML (MSPDI)",
        ),
        (project(), "el proyecto no tiene tareas"),
    ],
)
def test_files_are_judged_by_content(data, mensaje):
    plan, report = read_project("programa.mpp", data)
    assert plan is None
    assert [e.mensaje for e in report.errores] == [mensaje]
    assert report.to_json()["errores"][0]["hoja"] is None


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    _, report = read_project("p.xml", SAMPLE, Limits(max_bytes=100))
    assert [e.mensaje for e in report.errores] == ["el archivo excede el tamaño permitido"]


def test_the_report_summarises_the_plan():
    _, report = read_project("obra.xml", SAMPLE)
    out = report.to_json()
    assert (out["fuente"], out["formato"], out["fases"], out["actividades"], out["ligas"]) == (
        "mspdi",
        "xml",
        3,
        5,
        3,
    )
    assert (out["inicio"], out["fin"], out["totales"]) == (
        "2026-02-02",
        "2026-03-16",
        {"mxn": "400000.00", "usd": "0.00"},
    )
    assert out["muestra"][1] == {
        "orden": 1,
        "nivel": 2,
        "wbs": "1.1",
        "nombre": "Levantamiento",
        "inicio": "2026-02-02",
        "fin": "2026-02-06",
        "monto_mxn": "100000.00",
        "monto_usd": "0.00",
        "peso_mxn": "25.00",
        "peso_usd": "25.00",
        "avance": "100.00",
        "ref": "tarea 2",
    }
