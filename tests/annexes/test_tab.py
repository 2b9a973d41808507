"""The Anexos tab never draws a whole revision: its chapters come collapsed with their line count
and totals per currency (one grouped statement), and a chapter's lines load when it is opened, a
page at a time, sub-headings as rows (also across pages)."""

import re

from ot_app.annexes import read
from ot_app.extensions import db
from tests import factories

HX = {"HX-Request": "true"}
ROWS = [
    ["1.1.", "Línea sin capítulo", "LOTE", 1, 5, 0],
    ["2", "PROTECCIÓN ANTICORROSIVA"],
    [None, "LIMPIEZA"],
    ["2.401.", "Limpieza con chorro de arena", "M2", 200, 4125.53, None],
    ["2.402.", "Limpieza manual", "M2", 10, 100, None],
    [None, "PINTURA"],
    ["2.403.", "Aplicación de primario epóxico", "M2", 10, 612.4, 3],
    ["4", "PERSONAL"],
    ["4.7.", "Tubero especialista", "JORNADA", 40, 2850, 100],
]


def make(app, rows=ROWS):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        factories.make_annex(ot.id, rows)
        return ot.id


def chapter(client, ot_id, capitulo, page=1):
    return client.get(
        f"/ot/{ot_id}/anexos/capitulo?tipo=anexo_c&revision=1&capitulo={capitulo}&page={page}", headers=HX
    )


def test_the_tab_shows_the_chapters_collapsed_with_their_totals_and_no_line(app, lector_client):
    ot_id = make(app)
    tab = lector_client.get(f"/ot/{ot_id}/anexos", headers=HX).get_data(as_text=True)
    summaries = re.findall(r"<summary>(.*?)</summary>", tab)
    assert summaries == [
        "Sin capítulo · 1 renglones · M.N. 5.00 · USD 0.00",
        "2 · 3 renglones · M.N. 832,230.00 · USD 30.00",
        "4 · 1 renglones · M.N. 114,000.00 · USD 4,000.00",
    ]
    assert '<details class="capitulo" data-capitulo="2"' in tab and " open" not in tab
    assert 'hx-trigger="toggle once"' in tab
    assert "Limpieza con chorro" not in tab and "Tubero" not in tab  # lines wait for the chapter


def test_opening_a_chapter_loads_its_lines_with_their_sub_headings(app, lector_client):
    ot_id = make(app)
    r = chapter(lector_client, ot_id, "2")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in html and "<tbody data-rows>" in html
    assert re.findall(r'<tr class="subencabezado"><th colspan="9" scope="rowgroup">(.*?)</th>', html) == [
        "LIMPIEZA",
        "PINTURA",
    ]
    assert html.count("<tr data-row") == 3 and "Tubero" not in html and "Línea sin capítulo" not in html
    assert "data-capitulo-mas" not in html
    alone = chapter(lector_client, ot_id, "").get_data(as_text=True)
    assert "Línea sin capítulo" in alone and alone.count("<tr data-row") == 1


def test_a_long_chapter_is_paged_and_a_sub_heading_is_not_repeated_across_pages(
    app, lector_client, monkeypatch
):
    monkeypatch.setattr(read, "CHAPTER_PAGE", 1)
    ot_id = make(app)
    first = chapter(lector_client, ot_id, "2").get_data(as_text=True)
    assert first.count("<tr data-row") == 1 and "Limpieza con chorro" in first
    more = re.search(r'<button type="button" hx-get="([^"]+)" hx-target="closest tr"', first).group(1)
    assert "page=2" in more
    second = lector_client.get(more.replace("&amp;", "&"), headers=HX).get_data(as_text=True)
    assert "<table" not in second and "Limpieza manual" in second
    assert "subencabezado" not in second  # still LIMPIEZA: no heading again
    third = chapter(lector_client, ot_id, "2", page=3).get_data(as_text=True)
    assert "PINTURA" in third and "primario" in third and "data-capitulo-mas" not in third


def test_a_chapter_of_a_revision_that_does_not_exist_is_404_and_bad_arguments_400(app, lector_client):
    ot_id = make(app)
    r = lector_client.get(f"/ot/{ot_id}/anexos/capitulo?tipo=anexo_c&revision=9&capitulo=2", headers=HX)
    assert r.status_code == 404
    assert chapter(lector_client, ot_id, "2", page="x").status_code == 400
    r = lector_client.get(f"/ot/{ot_id}/anexos/capitulo?tipo=otro&capitulo=2", headers=HX)
    assert r.status_code in (400, 422)
