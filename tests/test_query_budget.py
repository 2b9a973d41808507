"""The query budget: every page and API call runs a fixed number of SQL statements, the same with
1 row as with 50, so an N+1 fails the suite the day it is written (issue 7).

"Rows" here is what each page lists: OTs in the list and on the PTE, versions in a chain, history
entries and steps of an OT, rows of a catalog."""

import io
from functools import partial

import pytest
from sqlalchemy import text
from werkzeug.datastructures import FileStorage

from ot_app.annexes.commands import import_annex
from ot_app.extensions import db
from ot_app.models import (
    AnexoTrabajo,
    Concepto,
    ConceptoRevision,
    OTDetalle,
    PasoPte,
    PTEDetalle,
    ReglaPasoPte,
    Unidad,
    Usuario,
)
from ot_app.orders import commands
from ot_app.pte import commands as pte_commands

from . import factories
from .annexes.builders import sabana as sabana_file
from .conftest import Api, client_as, count_queries, dispose_app, make_api_token, make_app

HX = {"HX-Request": "true"}

# A GET is measured twice: again (its cached parts current) and as the first request after a write
# elsewhere (nothing cached current: the rows, counts, catalogs and sweeps are read again). The
# second figure is the table's unless AFTER_WRITE says otherwise.
# (name, method, url template, headers, body, statements). Statements exclude BEGIN/COMMIT and
# PRAGMAs; they include loading the logged-in user (or the API token) and, for writes, the checks
# and the data version's bump (data_version.py) as the transaction commits.
BUDGET = [
    ("OT list page", "GET", "/", None, None, 1),
    ("OT list fragment", "GET", "/", HX, None, 1),
    ("OT list search", "GET", "/?q=budget", HX, None, 1),  # + the catalog names the words may be (search.py)
    ("OT list by client, date, page 1", "GET", "/?id_cliente=2&orden=fecha_inicio_programado", HX, None, 1),
    ("OT list, dashboard filters", "GET", "/?vencidas=1&pasos_pendientes=1", HX, None, 1),
    ("OT list page, dashboard filter chips", "GET", "/?vencidas=1&id_responsable={resp}", None, None, 1),
    ("OT list page, one PTE (its chip names it)", "GET", "/?id_pte_header={pte}", None, None, 1),
    # Cached until the next write (data_version): one statement, the user with the counter; a miss is 7.
    ("Dashboard", "GET", "/tablero", None, None, 1),
    ("OT detail", "GET", "/ot/{ot}", None, None, 1),
    ("OT history (refetched after a step change)", "GET", "/ot/{ot}/historial", HX, None, 4),
    ("OT list selection export", "GET", "/ot/exportar?ots={ot},{inicial}&formato=csv", None, None, 4),
    ("OT edit form", "GET", "/ot/{ot}/editar", None, None, 1),
    ("OT annexes tab", "GET", "/ot/{ot}/anexos", HX, None, 11),
    ("OT annexes tab with a sábana grid", "GET", "/ot/{sabana}/anexos", HX, None, 14),
    ("OT annexes tab with an Anexo C", "GET", "/ot/{anexo}/anexos", HX, None, 12),
    ("OT annex chapter opened", "GET", "/ot/{anexo}/anexos/capitulo?tipo=anexo_c&capitulo=2", HX, None, 4),
    ("OT annex search", "GET", "/ot/{sabana}/anexos/buscar?tipo=sabana&q=recurso", HX, None, 4),
    ("OT sábana grid, weeks open", "GET", "/ot/{sabana}/anexos/sabana?abiertas=todas", HX, None, 4),
    ("API anexos", "GET", "/api/ot/anexos?id={ot}&tipo=anexo_c", "api", None, 4),
    ("OT annex upload progress (polled)", "GET", "/ot/{ot}/anexos/trabajo/{trabajo}", HX, None, 2),
    # A program of n activities: the version, its revisions, the shown one with its rows and links
    # (two selectin loads), whether it was reprogrammed; the tab adds the revision before it.
    ("OT program tab, compared with the revision before", "GET", "/ot/{programa}/programa", HX, None, 10),
    ("OT program grid", "GET", "/ot/{programa}/programa/editar", None, None, 7),
    ("API programa", "GET", "/api/ot/programa?id={programa}", "api", None, 7),
    ("API programa revisiones", "GET", "/api/ot/programa/revisiones?id={programa}", "api", None, 3),
    ("API programa comparar", "GET", "/api/ot/programa/comparar?id={programa}", "api", None, 5),
    ("OT new form", "GET", "/ot/nueva", None, None, 2),
    ("OT row", "GET", "/ot/{ot}/fila", HX, None, 5),
    ("OT row edit", "GET", "/ot/{ot}/fila/editar", HX, None, 6),
    ("OT list export (csv)", "GET", "/ot/exportar?formato=csv", None, None, 3),
    ("OT list export (xlsx)", "GET", "/ot/exportar?orden=folio", None, None, 3),
    ("OT list, every version", "GET", "/?versiones=todas", HX, None, 1),
    ("OT chain rows (+)", "GET", "/ot/{ot}/versiones/filas", HX, None, 5),
    ("OT reprogram form", "GET", "/ot/{ot}/reprogramar", None, None, 4),
    (
        "OT reprogram warnings",
        "GET",
        "/ot/{ot}/reprogramar/revisar?monto_mxn=9,999.00&plazo_dias=90",
        HX,
        None,
        2,
    ),
    ("OT versions compared", "GET", "/ot/comparar?de={inicial}&a={ot}", None, None, 4),
    ("PTE list", "GET", "/pte", None, None, 7),
    ("PTE list sorted by OT count (fragment)", "GET", "/pte?orden=-ots&q=pep", HX, None, 4),
    ("PTE edit form (dialog)", "GET", "/pte/{pte}/editar", HX, None, 5),
    ("PTE detail", "GET", "/pte/{pte}", None, None, 7),  # approved, complete: Crear OT's folio proposal
    ("PTE edit form", "GET", "/pte/{pte}/editar", None, None, 5),
    ("PTE checklist", "GET", "/pte/{pte_lista}", None, None, 5),
    ("PTE step row", "GET", "/pte/paso/{pte_paso}", HX, None, 3),
    # + the data version read by the PTE's OT count, a miss right after the write.
    ("PTE step save", "POST", "/pte/paso/{pte_paso}", HX, {"comentario": "{n}"}, 15),
    ("Catalogs", "GET", "/catalogos", None, None, 12),
    ("Catalog page", "GET", "/catalogos/patios", None, None, 3),
    ("Step templates", "GET", "/catalogos/pasos?tipo=5", None, None, 5),
    ("Step-set rules", "GET", "/catalogos/reglas?id_tipo=5&id_cliente=2", None, None, 10),
    ("Users", "GET", "/usuarios", None, None, 2),
    ("My API tokens", "GET", "/usuarios/mis-tokens", None, None, 2),
    ("API listar", "GET", "/api/ot/listar?per_page=50", "api", None, 5),
    ("API listar vigentes", "GET", "/api/ot/listar?per_page=50&vigentes=1", "api", None, 5),
    ("API exportar", "GET", "/api/ot/exportar?formato=csv&vigentes=1", "api", None, 3),
    ("API obtener", "GET", "/api/ot/obtener?id={ot}", "api", None, 3),
    ("API pasos", "GET", "/api/ot/pasos?id={ot}", "api", None, 3),
    ("API versiones (lineage)", "GET", "/api/ot/versiones?id={ot}", "api", None, 3),
    ("API catalogos", "GET", "/api/catalogos/patios", "api", None, 2),
    ("Concept catalog page", "GET", "/catalogos/conceptos", None, None, 6),
    ("Concept catalog revisions", "GET", "/catalogos/conceptos/revisiones", HX, None, 2),
    ("API concept revisions", "GET", "/api/catalogos/conceptos/revisiones", "api", None, 2),
    ("API units", "GET", "/api/catalogos/unidades", "api", None, 3),
    ("Concept catalog search", "GET", "/catalogos/conceptos?q=concepto&tipo=pue", HX, None, 3),
    ("API conceptos", "GET", "/api/catalogos/conceptos?q=concepto", "api", None, 3),
    ("API pte listar", "GET", "/api/pte/listar", "api", None, 2),
    ("API pte obtener", "GET", "/api/pte/obtener?id={pte}", "api", None, 2),
    ("API pte pasos", "GET", "/api/pte/pasos?id={pte_lista}", "api", None, 3),
    (
        "API pte paso editar",
        "POST",
        "/api/pte/paso/editar",
        "api",
        {"id": "{pte_paso}", "comentario": "{n}"},
        7,
    ),
    # Progress and S-curves (issue 19): the current version has a program of n activities and n
    # cut-offs; version 1 has its own program.
    ("OT avance section", "GET", "/ot/{ot}/avance", HX, None, 13),
    (
        "OT S-curve switched to monthly USD",
        "GET",
        "/ot/{ot}/avance/curva?moneda=usd&periodo=mes",
        HX,
        None,
        9,
    ),
    # The portfolio curve is kept per data version (one statement: the user with the counter). A miss adds the
    # seven statements of curve_store.portfolio: the stale-rows check, two sums of amounts, the
    # chains' amounts and cut-offs, and the two SUM … GROUP BY period of the stored planned rows.
    ("Portfolio S-curve page", "GET", "/curva-s", None, None, 1),
    ("Portfolio S-curve of a client (fragment)", "GET", "/curva-s?id_cliente=2", HX, None, 1),
    ("API curva-s", "GET", "/api/ot/curva-s?id={ot}", "api", None, 9),
    ("API portfolio curva-s", "GET", "/api/curva-s?id_cliente=2&periodo=mes", "api", None, 2),
    ("API cortes", "GET", "/api/ot/cortes?id={ot}", "api", None, 4),
    ("API paso editar", "POST", "/api/ot/paso/editar", "api", {"id": "{paso}", "comentario": "{n}"}, 9),
    # The edit reads its bookings once (unchanged: nothing rewritten, bookings.sync_chain).
    # A comment leaves the stored planned curve as it is; a change of dates or amounts adds 9 (its
    # 3 deletes, 3 reads and 3 inserts: curve_store.refresh).
    ("API editar", "POST", "/api/ot/editar", "api", {"id": "{ot}", "comentario_general": "{n}"}, 10),
    (
        "API editar, amount",
        "POST",
        "/api/ot/editar",
        "api",
        {"id": "{ot}", "monto_mxn": "{n}{{tag}}.00"},  # a new amount each call
        19,
    ),
    ("API conflictos", "GET", "/api/conflictos", "api", None, 5),
    # The timeline (issue 14): the user, the data version (the conflicts are cached on it) and the
    # rows with their group, sites, version 1 and last cut-off in one SELECT; the page adds the
    # filters' catalogs. After a write the conflicts are swept again (bookings.portfolio_conflicts).
    ("Timeline page", "GET", "/linea-tiempo?desde=2026-01-01&hasta=2026-12-31", None, None, 2),
    (
        "Timeline by client (fragment)",
        "GET",
        "/linea-tiempo?desde=2026-01-01&agrupar=cliente&id_cliente=2",
        HX,
        None,
        2,
    ),
    ("Timeline next page", "GET", "/linea-tiempo/filas?desde=2026-01-01&por_pagina=2&pagina=2", HX, None, 2),
    ("API linea-tiempo", "GET", "/api/linea-tiempo?desde=2026-01-01&agrupar=ninguno", "api", None, 3),
]

AFTER_WRITE: dict[str, int] = {
    "OT list page": 6,
    "OT list fragment": 6,
    "OT list search": 7,
    "OT list by client, date, page 1": 6,
    "OT list, dashboard filters": 6,
    "OT list page, dashboard filter chips": 6,
    "OT list page, one PTE (its chip names it)": 7,
    "Dashboard": 7,
    "OT detail": 6,
    "OT edit form": 6,
    "OT new form": 3,
    "OT row edit": 7,
    "OT list, every version": 6,
    "OT chain rows (+)": 7,
    "OT reprogram form": 5,
    "API listar": 7,
    "API listar vigentes": 7,
    "API catalogos": 3,
    "Portfolio S-curve page": 9,
    "Portfolio S-curve of a client (fragment)": 8,
    "API portfolio curva-s": 9,
    "Timeline page": 7,
    "Timeline by client (fragment)": 6,
    "Timeline next page": 6,
    "API linea-tiempo": 7,
    "OT row": 6,
    "OT list selection export": 5,
    "OT list export (csv)": 4,
    "OT list export (xlsx)": 4,
    "API exportar": 4,
}


def build(app, n: int) -> dict:
    """An initial OT with n versions and a lone initial OT on one PTE (n + 2 OTs in the list), n - 1 step changes in the
    history of its current version, and n yards in the catalog. `ot` is the current version: the
    only member of a chain that may be edited (issue 12), and the one whose chain is n long."""
    with app.app_context():
        pte = factories.make_pte("PEP-BUDGET-1", id_cliente=2)
        resp = factories.make_responsable()
        patios = [factories.make_patio(f"Patio {i:02d}") for i in range(n)]
        db.session.commit()
        first = factories.make_ot(
            pte=pte,
            responsable=resp,
            patio=patios[0],
            orden_trabajo="OT-BUDGET",
            descripcion_trabajo="Rehabilitación",
        )
        for _ in range(n):
            current = factories.make_ot(
                pte=pte,
                responsable=resp,
                patio=patios[0],
                orden_trabajo="OT-BUDGET",
                id_tipo=5,
                ot_principal=first.id,
            )
        # An OT with a sábana of n lines (the grid pages it; its totals come with the revision).
        sabana_ot = factories.make_ot(
            pte=pte, responsable=resp, patio=patios[0], orden_trabajo="OT-BUDGET-SAB"
        )
        rows = [[f"4.{i}.", f"Recurso {i}", "DIA", 1, 0, 1, 2] for i in range(1, n + 1)]
        report = import_annex(
            sabana_ot.id,
            "sabana",
            FileStorage(io.BytesIO(sabana_file(rows, days=3)), "sabana.xlsx"),
            True,
            None,
        )
        assert report.ok, report.errores
        # An OT with an Anexo C of n lines in two chapters (the tab shows chapters, never lines).
        anexo_ot = factories.make_ot(
            pte=pte, responsable=resp, patio=patios[0], orden_trabajo="OT-BUDGET-ANX"
        )
        lines = [[f"2.{i}.", f"Concepto {i}", "M2", 1, 10, None] for i in range(1, n + 1)]
        factories.make_annex(
            anexo_ot.id,
            [["2", "PROTECCIÓN"], *lines, ["4", "PERSONAL"], ["4.1.", "Tubero", "JORNADA", 1, 5, 1]],
        )
        # An OT with a program of n activities in two phases, n - 1 links, in two revisions.
        from ot_app.schedules.commands import save_program
        from tests.schedules.conftest import act, fase, plan

        programa_ot = factories.make_ot(
            pte=pte, responsable=resp, patio=patios[0], orden_trabajo="OT-BUDGET-PRG"
        )
        acts = [act(f"Actividad {i}", mxn=f"{i + 1}00", usd="10", wbs=f"1.{i}") for i in range(n)]
        program = plan(
            fase("Fase 1"),
            *acts,
            fase("Patio", es_patio=True),
            act("Carga", mxn="5"),
            ligas=[(i, i + 1, 8) for i in range(1, n)],
        )
        save_program(programa_ot.id, program, None)
        program.actividades[1].fin = program.actividades[1].fin.replace(day=21)
        save_program(programa_ot.id, program, None)
        # A lone initial OT, newest: every list page holds an initial OT whatever n is (the list
        # counts an initial OT's versions in one grouped query, skipped on a page of versions only).
        factories.make_ot(pte=pte, responsable=resp, patio=patios[0], orden_trabajo="OT-BUDGET-SOLA")
        pasos = db.session.scalars(db.select(OTDetalle.id).where(OTDetalle.id_ot == current.id)).all()
        _program_and_cuts(first.id, current.id, n)
        for i in range(n - 1):
            commands.set_step({"id": pasos[i % len(pasos)], "comentario": f"nota {i}"}, None)
        # A PTE whose checklist has n steps (a set of its own, by its client's rule), n - 1 changed.
        for i in range(n):
            db.session.add(PasoPte(descripcion=f"Paso de PTE {i:02d}", tipo=BUDGET_SET, orden=i))
        db.session.add(ReglaPasoPte(id_cliente=3, tipo_paso=BUDGET_SET))
        # n imports of the catalog (its revisions panel).
        for i in range(n):
            db.session.add(
                ConceptoRevision(
                    n=i + 1,
                    archivo_nombre=f"contrato {i}.xlsx",
                    archivo_tamano=1000,
                    archivo_sha256="0" * 64,
                    archivo_ruta="catalogo/0",
                    formato="xlsx",
                )
            )
        # n concepts of the contract's catalog (PUE, with the unit's clave joined in).
        dia = db.session.scalar(db.select(Unidad.id).where(Unidad.clave == "DIA"))
        for i in range(n):
            db.session.add(
                Concepto(
                    clave=f"budget-{i}",
                    partida=f"1C-{i:03d}",
                    concepto=f"Concepto {i}",
                    unidad="DIA",
                    id_unidad=dia,
                    pu_mxn=1,
                    pu_usd=0,
                    tipo="pue",
                )
            )
        db.session.commit()
        lista = pte_commands.create_pte(
            {"oficio_pte": "PEP-BUDGET-PASOS", "descripcion": "Con lista de pasos", "id_cliente": 3}, None
        ).pte
        pte_pasos = db.session.scalars(db.select(PTEDetalle.id).where(PTEDetalle.id_pte == lista.id)).all()
        # An annex upload being read, started by the measuring admin (only its user polls it).
        admin = db.session.scalar(db.select(Usuario.id).where(Usuario.username == "u_admin"))
        db.session.add(
            AnexoTrabajo(
                token="budget-trabajo", id_ot=current.id, tipo="anexo_c", id_usuario=admin, estado="leyendo"
            )
        )
        db.session.commit()
        for i in range(n - 1):
            pte_commands.set_step({"id": pte_pasos[i % len(pte_pasos)], "comentario": f"nota {i}"}, None)
        # The timeline (issue 14): n more OTs overlapping on one vessel (n rows, each in a conflict).
        barco = factories.make_embarcacion(f"B/C BUDGET {n}")
        db.session.commit()
        for i in range(n):
            factories.make_ot(
                pte=pte,
                responsable=resp,
                id_frente="2",
                id_embarcacion=barco.id,
                orden_trabajo=f"OT-BUDGET-TL-{i}",
            )
        return {
            "ot": current.id,
            "sabana": sabana_ot.id,
            "anexo": anexo_ot.id,
            "programa": programa_ot.id,
            "inicial": first.id,
            "pte": pte.id,
            "paso": pasos[0],
            "pte_lista": lista.id,
            "pte_paso": pte_pasos[-1],
            "trabajo": "budget-trabajo",
            "resp": resp.id,
        }


BUDGET_SET = 50


def _program_and_cuts(first_id: int, current_id: int, n: int) -> None:
    """Version 1 and the current version each get a program of n activities over 2025; the current
    one n weekly cut-offs (through the real service)."""
    from datetime import date, timedelta

    from ot_app.schedules.cortes import record_cut

    from .schedules.curve_builders import make_program

    start = date(2025, 1, 6)
    for ot_id in (first_id, current_id):
        rows = [
            {
                "inicio": start + timedelta(days=i),
                "fin": start + timedelta(days=60 + i),
                "mxn": "100",
                "usd": "1",
            }
            for i in range(n)
        ]
        rev = make_program(ot_id, rows, direct=True)  # version 1 is replaced: the service refuses it
    acts = [a.id for a in rev.actividades]
    for i in range(n):
        record_cut(current_id, date(2025, 1, 3) + timedelta(days=7 * i), {acts[i]: "10"}, None)


def measure(queries, bump, admin_client, api, ids, case, round_):
    name, method, url, headers, body, _ = case
    url = url.format(**ids)
    client = api if headers == "api" else admin_client
    kwargs = {}
    if headers not in (None, "api"):
        kwargs["headers"] = headers
    if body:
        kwargs["data"] = {k: v.format(n=f"{round_}", **ids) for k, v in body.items()}

    def call(tag):
        if method == "GET":
            return client.get(url, **kwargs)
        digit = "1" if tag == "warm" else "2"
        data = {
            k: v.replace("{tag}", digit) if "{tag}" in v else (f"{v}-{tag}" if k != "id" else v)
            for k, v in kwargs["data"].items()
        }
        send = client.post if headers == "api" else client.auth.post
        return send(url, data=data, **{k: v for k, v in kwargs.items() if k != "data"})

    warm = call("warm")  # the first request loads more than the rest
    warm.get_data()  # a streamed export reads its rows (and their names) only as its body is read
    assert warm.status_code == 200, name

    def counted():
        with queries() as q:
            response = call("measured")
            response.get_data()  # a streamed export runs its SELECT while the body is read
        assert response.status_code == 200, (name, response.status_code)
        return q.count

    if method != "GET":
        return counted(), None
    again = counted()
    bump()  # a write elsewhere: nothing the page cached (data_version.cached) is current
    return again, counted()


def _bump(engine) -> None:
    """A write by another worker: the data version goes up."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE version_datos SET n = n + 1 WHERE id = 1"))


@pytest.fixture(scope="module")
def counts(tmp_path_factory) -> dict:
    """Every row measured on a database of 1 row and on one of 50: one build per size for the whole
    table (building is most of the time: once per row, the module took 8 minutes). The rows run in
    table order, so a write row's changes are on the database for the rows after it, as in use."""
    result = {}
    for n in (1, 50):
        app = make_app(tmp_path_factory.mktemp(f"budget{n}"))
        try:
            admin = client_as(app, "admin")  # before the build: the upload being read is its own
            ids = build(app, n)
            api = Api(app.test_client(), make_api_token(app, "admin"))
            with app.app_context():
                engine = db.engine
            for case in BUDGET:
                try:
                    result[case[0], n] = measure(
                        partial(count_queries, engine), partial(_bump, engine), admin, api, ids, case, n
                    )
                except AssertionError as error:  # the row's own test reports it
                    result[case[0], n] = error
        finally:
            dispose_app(app)
    return result


@pytest.mark.parametrize("case", BUDGET, ids=[c[0] for c in BUDGET])
def test_statements_are_fixed_for_1_and_50_rows(counts, case):
    measured = [counts[case[0], n] for n in (1, 50)]
    for value in measured:
        if isinstance(value, AssertionError):
            raise value
    assert measured[0] == measured[1], (
        f"{case[0]}: {measured[0]} statements with 1 row, {measured[1]} with 50 (an N+1?)"
    )
    again, after_write = measured[1]
    assert again == case[5], f"{case[0]}: {again} statements, the budget says {case[5]}"
    if after_write is not None:
        expected = AFTER_WRITE.get(case[0], case[5])
        assert after_write == expected, (
            f"{case[0]} after a write: {after_write} statements, the budget says {expected}"
        )
