"""The PTE pages work like the OT pages: sortable columns reproduced by the URL, the form in a
dialog (the same fragment as the full page), the keyboard map listing the PTE keys."""

import re
from decimal import Decimal

import pytest

from ot_app.extensions import db

from .. import factories

HX = {"HX-Request": "true"}


@pytest.fixture
def ptes(app):
    with app.app_context():
        ids = {
            "b": factories.make_pte("PEP-B", id_cliente=2, monto_mxn=Decimal("300"), plazo_dias=30).id,
            "c": factories.make_pte("PEP-C", id_cliente=1, monto_mxn=Decimal("100"), plazo_dias=90).id,
            "a": factories.make_pte("PEP-A", id_cliente=3, monto_mxn=Decimal("200"), plazo_dias=60).id,
        }
        db.session.commit()
    return ids


def oficios(html: str) -> list[str]:
    return re.findall(r'class="folio" data-open href="/pte/\d+">([^<]+)<', html)


@pytest.mark.parametrize(
    ("orden", "expected"),
    [
        ("", ["PEP-A", "PEP-C", "PEP-B"]),  # newest first
        ("oficio", ["PEP-A", "PEP-B", "PEP-C"]),
        ("-oficio", ["PEP-C", "PEP-B", "PEP-A"]),
        ("monto_mxn", ["PEP-C", "PEP-A", "PEP-B"]),
        ("-plazo_dias", ["PEP-C", "PEP-A", "PEP-B"]),
    ],
)
def test_the_list_sorts_by_the_orden_in_the_url(lector_client, ptes, orden, expected):
    html = lector_client.get(f"/pte?orden={orden}", headers=HX).get_data(as_text=True)
    assert oficios(html) == expected


def test_a_sort_header_links_to_the_same_view_sorted_and_again_reversed(lector_client, ptes):
    html = lector_client.get("/pte?id_cliente=2&q=pep").get_data(as_text=True)
    assert 'href="/pte?id_cliente=2&amp;q=pep&amp;orden=oficio"' in html
    assert '<th class="" aria-sort="none">' in html  # the OT list's header markup
    html = lector_client.get("/pte?id_cliente=2&q=pep&orden=oficio").get_data(as_text=True)
    assert 'aria-sort="ascending"' in html and 'href="/pte?id_cliente=2&amp;q=pep&amp;orden=-oficio"' in html
    # The filter form keeps the sort: the results carry it for the form's hx-include.
    assert 'id="pte-orden" name="orden" value="oficio"' in html and 'hx-include="#pte-orden"' in html


def test_the_pager_keeps_the_sort_and_the_filters(app, lector_client):
    with app.app_context():
        for i in range(51):
            factories.make_pte(f"PEP-P-{i:03d}")
        db.session.commit()
    html = lector_client.get("/pte?orden=oficio&q=pep-p").get_data(as_text=True)
    assert 'href="/pte?orden=oficio&amp;q=pep-p&amp;page=2"' in html
    page2 = lector_client.get("/pte?orden=oficio&q=pep-p&page=2", headers=HX).get_data(as_text=True)
    assert oficios(page2) == ["PEP-P-050"]


def test_an_unknown_sort_is_a_400_that_names_the_choices(lector_client):
    r = lector_client.get("/pte?orden=bogus")
    assert r.status_code == 400 and "El parámetro orden admite:" in r.get_data(as_text=True)


def test_the_new_and_edit_forms_open_in_a_dialog_as_fragments(editor_client, ptes):
    html = editor_client.get("/pte").get_data(as_text=True)
    assert (
        'hx-get="/pte/nueva" hx-target="#pte-dialog-body"' in html and 'data-open-dialog="pte-dialog"' in html
    )
    assert f'href="/pte/{ptes["a"]}/editar" data-edit' in html  # e on a selected row
    assert '<dialog id="pte-dialog"' in html
    fragment = editor_client.get("/pte/nueva", headers=HX)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and 'id="pte-form"' in body and 'hx-post="/pte/nueva"' in body
    assert "HX-Request" in fragment.headers["Vary"]
    page = editor_client.get("/pte/nueva").get_data(as_text=True)
    assert "<html" in page and 'id="pte-form"' in page  # the page without script: the same form
    edit = editor_client.get(f"/pte/{ptes['a']}/editar", headers=HX).get_data(as_text=True)
    assert "<html" not in edit and 'value="PEP-A"' in edit and f'hx-post="/pte/{ptes["a"]}/editar"' in edit


def test_the_detail_edits_in_the_dialog(editor_client, ptes):
    html = editor_client.get(f"/pte/{ptes['b']}").get_data(as_text=True)
    assert f'hx-get="/pte/{ptes["b"]}/editar" hx-target="#pte-dialog-body"' in html
    assert '<dialog id="pte-dialog"' in html


def test_a_dialog_save_with_errors_answers_the_fragment_beside_the_fields(editor_client):
    r = editor_client.auth.post(
        "/pte/nueva", data={"oficio_pte": "", "descripcion": "Escrita", "id_cliente": "1"}, headers=HX
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "<html" not in html
    assert 'id="oficio_pte-error"' in html and "El oficio de la PTE es obligatorio." in html
    assert "Escrita" in html


def test_a_dialog_save_goes_to_the_pte(app, editor_client):
    r = editor_client.auth.post(
        "/pte/nueva",
        data={"oficio_pte": "PEP-DLG-1", "descripcion": "Desde el diálogo", "id_cliente": "1"},
        headers=HX,
    )
    assert r.status_code == 204 and re.fullmatch(r"/pte/\d+", r.headers["HX-Redirect"])


def test_the_lector_gets_no_new_or_edit_openers(lector_client, ptes):
    html = lector_client.get("/pte").get_data(as_text=True)
    assert "pte-dialog" not in html and "data-edit" not in html


def test_the_keyboard_map_lists_the_pte_keys(lector_client, ptes):
    # The pages carry the dialog; its text is the static file keys.js loads into it when it opens.
    for url in ("/pte", f"/pte/{ptes['a']}"):
        html = lector_client.get(url).get_data(as_text=True)
        assert '<dialog id="help"' in html and 'data-src="/static/help.html"' in html
    with lector_client.get("/static/help.html") as r:  # a file response: closed here
        text = r.get_data(as_text=True)
    assert "<h3>PTE</h3>" in text
    assert "Nueva PTE (en la lista)" in text and "Editar la PTE seleccionada" in text


def test_no_pte_page_asks_with_the_browsers_confirm(editor_client, ptes):
    for url in ("/pte", f"/pte/{ptes['a']}", "/pte/nueva", f"/pte/{ptes['a']}/editar"):
        html = editor_client.get(url).get_data(as_text=True)
        assert "hx-confirm" not in html and "confirm(" not in html
