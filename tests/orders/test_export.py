"""The OT-list export: the list's own filters and sort, every page (not just the one shown), xlsx
with typed cells and CSV with a BOM, from the page and from the API; roles as on the list."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from ot_app.orders import export

from .. import factories


def created(api, base, **kw):
    r = api.post("/api/ot/crear", data=base.payload(**kw))
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id_nuevo"]


def sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


HEADER = [c.titulo for c in export.COLUMNS]
FOLIO = HEADER.index("Folio")


@pytest.fixture
def orders(api, base):
    """Three OTs (one with a formula-looking description, one a version of the first) on client 2."""
    first = created(
        api, base, orden_trabajo="OT-EXP-B", monto_mxn="1,234.5", descripcion_trabajo="=1+1 cálculo"
    )
    created(api, base, orden_trabajo="OT-EXP-A", monto_mxn="10")
    created(api, base, orden_trabajo="OT-EXP-B", id_tipo=5, ot_principal=first, monto_mxn="2000")
    return first


def test_the_api_export_has_every_row_typed_cells_a_header_and_frozen_panes(api, orders):
    r = api.get("/api/ot/exportar?orden=folio&per_page=1")  # per_page is ignored: every page
    assert r.status_code == 200
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "ordenes_de_trabajo.xlsx" in r.headers["Content-Disposition"]
    ws = sheet(r.data)
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [row[FOLIO] for row in rows[1:]] == ["OT-EXP-A", "OT-EXP-B", "OT-EXP-B"]
    assert ws.freeze_panes == "A2"
    money = ws.cell(row=3, column=HEADER.index("Monto MXN") + 1)
    assert money.value == 1234.5 and money.number_format == "#,##0.00"
    started = ws.cell(row=3, column=HEADER.index("Inicio programado") + 1)
    assert started.is_date and started.value.date() == date(2026, 2, 1)
    assert ws.cell(row=3, column=HEADER.index("Descripción") + 1).value == "'=1+1 cálculo"
    assert ws.column_dimensions["B"].width == 32


def test_the_export_follows_the_lists_filters_and_sort(api, base, orders):
    created(api, base, orden_trabajo="OT-EXP-OTRO", id_cliente=3)
    body = csv_rows(api.get("/api/ot/exportar?formato=csv&vigentes=1&orden=-monto_mxn").data)
    assert body[0] == HEADER
    # vigentes=1: the chain counts once (its current version, 2,000.00), sorted by amount descending
    assert [(r[FOLIO], r[HEADER.index("Monto MXN")]) for r in body[1:]] == [
        ("OT-EXP-OTRO", "1234567.50"),
        ("OT-EXP-B", "2000.00"),
        ("OT-EXP-A", "10.00"),
    ]
    listed = api.get("/api/ot/listar?vigentes=1&orden=-monto_mxn&q=EXP-A").get_json()
    exported = csv_rows(api.get("/api/ot/exportar?formato=csv&vigentes=1&orden=-monto_mxn&q=EXP-A").data)
    assert [r["orden_trabajo"] for r in listed["datos"]] == [r[FOLIO] for r in exported[1:]] == ["OT-EXP-A"]
    assert [r[FOLIO] for r in csv_rows(api.get("/api/ot/exportar?formato=csv&id_cliente=3").data)[1:]] == [
        "OT-EXP-OTRO"
    ]
    # A formula-looking text is neutralised in CSV too
    every = csv_rows(api.get("/api/ot/exportar?formato=csv").data)
    assert "'=1+1 cálculo" in [r[HEADER.index("Descripción")] for r in every[1:]]


def test_the_page_export_is_what_the_page_lists(lector_client, api, orders):
    page = lector_client.get("/?orden=folio")
    assert b'data-export="xlsx"' in page.data and b"/ot/exportar?orden=folio" in page.data
    grouped = csv_rows(lector_client.get("/ot/exportar?formato=csv&orden=folio").data)
    # The page shows one row per chain unless asked for every version: so does its export
    assert [r[FOLIO] for r in grouped[1:]] == ["OT-EXP-A", "OT-EXP-B"]
    assert [r[HEADER.index("Versión")] for r in grouped[1:]] == ["R0", "R1"]
    every = csv_rows(lector_client.get("/ot/exportar?formato=csv&orden=folio&versiones=todas").data)
    assert [r[FOLIO] for r in every[1:]] == ["OT-EXP-A", "OT-EXP-B", "OT-EXP-B"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/ot/exportar?formato=pdf", "formato debe ser xlsx o csv"),
        ("/api/ot/exportar?orden=nada", "orden admite"),
        ("/api/ot/exportar?id_cliente=abc", "no es un identificador válido"),
    ],
)
def test_bad_parameters_are_a_400_in_spanish(api, url, message):
    r = api.get(url)
    assert r.status_code == 400
    assert message in r.get_json()["detalles"]


def test_deleted_ots_export_for_admins_only(app, api, api_admin, orders):
    assert api.get("/api/ot/exportar?estatus=0").status_code == 403
    assert api_admin.get("/api/ot/exportar?estatus=0&formato=csv").status_code == 200


def test_rows_are_read_lazily_from_a_cursor(app, base):
    """The rows come from a generator over a yield_per cursor: nothing is read until asked."""
    with app.app_context():
        factories.make_ot(pte=base.pte, responsable=base.responsable, patio=base.patio)
        from ot_app.orders.read import ListQuery

        _, _, columns, rows = export.export_orders(ListQuery())
        assert not isinstance(rows, (list, tuple))
        first = next(rows)
        assert len(first) == len(columns)
        assert first[HEADER.index("Monto MXN")] == Decimal("1234567.50")


def test_the_openapi_document_lists_both_media_types(api):
    doc = api.get("/api/openapi.json").get_json()
    for path in ("/api/ot/exportar", "/api/ot/anexos/exportar"):
        content = doc["paths"][path]["get"]["responses"]["200"]["content"]
        assert set(content) == {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "text/csv",
        }
