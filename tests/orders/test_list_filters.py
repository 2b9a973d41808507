"""The OT list's filter form shows the dashboard's filters (vencidas, inicia_en, pasos_pendientes,
id_responsable) that a Tablero link brought: as chips holding their value in the form, so changing
another filter keeps them, and each removable with its own link."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from ot_app.dashboard import read as dashboard_read
from ot_app.extensions import db
from ot_app.formatting import office_today

from .. import factories

HX = {"HX-Request": "true"}


class FilterForm(HTMLParser):
    """What the list's filter form (#filtros) would send: its named inputs and selects."""

    def __init__(self, html):
        super().__init__()
        self.inside = False
        self.select = None
        self.fields: dict[str, str] = {}
        self.chips: list[tuple[str, str]] = []  # (data-chip, × href)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "filtros":
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("checkbox",):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self.select = a["name"]
            self.fields.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in a:
            self.fields[self.select] = a.get("value") or ""
        elif tag == "span" and "data-chip" in a:
            self.chips.append((a["data-chip"], None))
        elif tag == "a" and "data-remove-filter" in a:
            self.chips[-1] = (self.chips[-1][0], a["href"])

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False

    def query(self, **changes) -> str:
        fields = {**self.fields, **changes}
        return urlencode({k: v for k, v in fields.items() if v})


@pytest.fixture
def orders(app):
    today = office_today()
    with app.app_context():
        resp = factories.make_responsable("Ing. Rosa Lima")
        other = factories.make_responsable("Ing. Otro")
        late = {"fecha_termino_programado": today - timedelta(days=3)}
        for cliente, n in ((2, 2), (3, 1)):
            for _ in range(n):
                factories.make_ot(responsable=resp, pte=factories.make_pte(id_cliente=cliente), **late)
        factories.make_ot(responsable=other, pte=factories.make_pte(id_cliente=2), **late)
        factories.make_ot(  # client 2, not late
            responsable=resp,
            pte=factories.make_pte(id_cliente=2),
            fecha_inicio_programado=today + timedelta(days=2),
            fecha_termino_programado=today + timedelta(days=30),
        )
        db.session.commit()
        return {"resp": resp.id, "other": other.id}


def rows(client, query: str) -> int:
    html = client.get(f"/?{query}", headers=HX).get_data(as_text=True)
    return html.count('<tr id="ot-')


def test_a_dashboard_filter_is_a_chip_kept_when_another_filter_changes(lector_client, orders):
    page = lector_client.get("/?vencidas=1").get_data(as_text=True)
    form = FilterForm(page)
    assert form.fields["vencidas"] == "1" and form.chips == [("vencidas", "/")]
    assert (
        "Del tablero" in page and ">Vencidas" in page and 'aria-label="Quitar el filtro «Vencidas»"' in page
    )
    assert rows(lector_client, form.query()) == 4
    # The client filter changes: the form still sends vencidas=1, and the count is that of both.
    assert rows(lector_client, form.query(id_cliente="2")) == 3
    assert rows(lector_client, "id_cliente=2") == 4  # without the chip's field, the late filter is gone


def test_every_dashboard_filter_gets_its_chip_and_its_own_removal(lector_client, orders):
    url = f"/?pasos_pendientes=1&id_responsable={orders['resp']}&inicia_en=14&id_cliente=2"
    page = lector_client.get(url).get_data(as_text=True)
    form = FilterForm(page)
    assert [c for c, _ in form.chips] == ["inicia_en", "pasos_pendientes", "id_responsable"]
    assert "Inician en los próximos 14 días" in page and "Con pasos pendientes" in page
    assert "Responsable: Ing. Rosa Lima" in page
    hrefs = dict(form.chips)
    # Each × is the same view without that one filter (the no-script way; the script removes the chip).
    assert hrefs["id_responsable"] == "/?pasos_pendientes=1&inicia_en=14&id_cliente=2"
    assert hrefs["inicia_en"] == f"/?pasos_pendientes=1&id_responsable={orders['resp']}&id_cliente=2"
    assert rows(lector_client, form.query()) == 1  # client 2, Ing. Rosa Lima, starts in 2 days
    assert rows(lector_client, form.query(id_cliente="")) == 1
    assert rows(lector_client, form.query(inicia_en="")) == 3


def test_a_flag_set_to_0_gets_no_chip_and_no_dashboard_no_group(lector_client, orders):
    assert 'id="filtros-tablero"' not in lector_client.get("/?vencidas=0").get_data(as_text=True)
    assert 'id="filtros-tablero"' not in lector_client.get("/").get_data(as_text=True)


def test_an_unknown_responsable_still_says_its_id(lector_client, orders):
    assert "Responsable: ID 999" in lector_client.get("/?id_responsable=999").get_data(as_text=True)


def test_every_dashboard_link_to_the_list_opens_it(app, lector_client, orders, monkeypatch):
    """Each number on the Tablero, and its «ver las N» links (shown past the table's rows), opens the
    list: a link with a sort the list does not have would be a 400 (the overdue one said orden=fin)."""

    monkeypatch.setattr(dashboard_read, "LIST_LIMIT", 1)  # so the overdue table says «ver las N»
    html = lector_client.get("/tablero").get_data(as_text=True)
    links = set(re.findall(r'href="(/\?[^"]*)"', html))
    assert any("vencidas=1" in u and "orden=" in u for u in links)
    for url in links:
        r = lector_client.get(url.replace("&amp;", "&"))
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:300])


def test_one_pte_from_the_tablero_is_a_chip_with_its_oficio(app, lector_client, orders):
    with app.app_context():
        pte = factories.make_pte("PEP-CHIP-0001-2026", id_cliente=2)
        factories.make_ot(pte=pte)
        db.session.commit()
        pte_id = pte.id
    page = lector_client.get(f"/?id_pte_header={pte_id}&id_cliente=2").get_data(as_text=True)
    form = FilterForm(page)
    assert form.fields["id_pte_header"] == str(pte_id)
    assert dict(form.chips)["id_pte_header"] == "/?id_cliente=2"
    assert "PEP-CHIP-0001-2026" in page and 'aria-label="Quitar el filtro «PTE PEP-CHIP-0001-2026»"' in page
    assert rows(lector_client, form.query(id_cliente="")) == 1
