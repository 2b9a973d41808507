"""OT search: every word, any field, any case, any part of a word; the index follows every edit."""

from sqlalchemy import text

from ot_app.extensions import db
from ot_app.models import Usuario
from ot_app.orders import commands, read

from .. import factories

ADMIN = Usuario(username="admin", rol="admin")  # only admins list deleted OTs


def found(q, **kw):
    page = read.list_orders(read.ListQuery(q=q, **kw), ADMIN)
    return sorted(item["orden_trabajo"] for item in page.items)


def test_search_words_across_fields_in_any_order(ctx):
    factories.make_ot(
        orden_trabajo="OT-GRZ-801-24",
        descripcion_trabajo="Pintura de barandales",
        responsable_cliente="Ing. Laura Méndez",
    )
    factories.make_ot(
        orden_trabajo="OT-CDC-900-25", descripcion_trabajo="Soldadura de barandales", oficio_ot="PEP-SAP-7788"
    )
    assert found("barandal") == ["OT-CDC-900-25", "OT-GRZ-801-24"]
    assert found("BARANDALES pintura") == ["OT-GRZ-801-24"]
    assert found("laura grz") == ["OT-GRZ-801-24"]
    assert found("sap-7788") == ["OT-CDC-900-25"]
    assert found("801-24") == ["OT-GRZ-801-24"]
    assert found("de") == ["OT-CDC-900-25", "OT-GRZ-801-24"]  # short word: matched without the index
    assert found('"; drop') == []  # query syntax is text, never an FTS5 expression


def test_search_follows_edits_and_combines_with_filters(ctx):
    ot = factories.make_ot(orden_trabajo="OT-SYNC-1", descripcion_trabajo="Trabajo original")
    db.session.commit()
    commands.update_order({"id": ot.id, "descripcion_trabajo": "Inspección submarina"}, None)
    assert found("submarina") == ["OT-SYNC-1"]
    assert found("original") == []
    assert found("submarina", id_cliente=4) == []
    commands.delete_order(ot.id, None)
    assert found("submarina") == []
    assert found("submarina", estatus=0) == ["OT-SYNC-1"]


def test_list_filters_by_part_of_the_pte_oficio(ctx):
    a = factories.make_pte("PEP-ALFA-001")
    b = factories.make_pte("PEP-BETA-002")
    factories.make_ot(pte=a, orden_trabajo="OT-A")
    factories.make_ot(pte=b, orden_trabajo="OT-B")
    assert found("", pte="alfa") == ["OT-A"]
    assert found("", pte="PEP-") == ["OT-A", "OT-B"]
    assert found("", pte="100%") == []


def test_deep_pages_keep_the_order(ctx):
    pte = factories.make_pte()
    for i in range(12):
        factories.make_ot(
            pte=pte, orden_trabajo=f"OT-ORD-{i:02d}", fecha_inicio_programado=f"2026-01-{i + 1:02d}"
        )
    pages = [
        [
            r["orden_trabajo"]
            for r in read.list_orders(
                read.ListQuery(orden="-fecha_inicio_programado", page=p, per_page=5)
            ).items
        ]
        for p in (1, 2, 3)
    ]
    assert sum(pages, []) == [f"OT-ORD-{i:02d}" for i in range(11, -1, -1)]


def test_search_finds_an_ot_by_its_project_manager_vessel_platform_or_yard_typed_as_text(ctx):
    """Issue 17: the names are typed in the search box, not only picked in a filter; each word may
    come from the text or from a name, and every word must match."""
    resp = factories.make_responsable("Ing. Guadalupe Villanueva")
    patio = factories.make_patio("Patio Dos Bocas")
    factories.make_ot(
        orden_trabajo="OT-TIERRA-1", responsable=resp, patio=patio, descripcion_trabajo="Pintura"
    )
    marina = factories.make_ot(orden_trabajo="OT-MAR-1", descripcion_trabajo="Soldadura")
    barco = factories.make_embarcacion("B/C Isla del Carmen")
    plataforma = factories.make_plataforma("Akal-C")
    commands.update_order(
        {"id": marina.id, "id_frente": 2, "id_embarcacion": barco.id, "id_plataforma": plataforma.id}, None
    )
    assert found("villanueva") == ["OT-TIERRA-1"]
    assert found("DOS BOCAS") == ["OT-TIERRA-1"]
    assert found("isla carmen") == ["OT-MAR-1"]
    assert found("akal-c") == ["OT-MAR-1"]
    assert found("akal soldadura") == ["OT-MAR-1"]  # one word from a name, one from the text
    assert found("akal pintura") == []
    assert found("guadalupe", id_frente=2) == []  # and the filters still apply
    assert found("%") == [] and found("_") == []  # LIKE's wildcards are text


def test_search_ignores_accents_both_ways_in_every_searched_field(ctx):
    """Issue 20: typed with or without accents, upper or lower case, in folio, oficio, description
    and client representative; the text is folded as it is indexed (an edit too)."""
    factories.make_ot(orden_trabajo="OT-ÁREA-1", descripcion_trabajo="Rehabilitación de ducto")
    factories.make_ot(
        orden_trabajo="OT-PLAIN-2",
        descripcion_trabajo="REHABILITACION MAYOR",
        oficio_ot="PEP-AÑO-2026",
        responsable_cliente="Ing. José Núñez",
    )
    ot = factories.make_ot(orden_trabajo="OT-EDIT-3", descripcion_trabajo="Trabajo")
    db.session.commit()
    both = ["OT-PLAIN-2", "OT-ÁREA-1"]
    assert found("rehabilitacion") == both
    assert found("Rehabilitación") == both
    assert found("REHABILITACIÓN ducto") == ["OT-ÁREA-1"]
    assert found("area-1") == ["OT-ÁREA-1"]  # folio
    assert found("pep-ano") == found("PEP-AÑO") == ["OT-PLAIN-2"]  # oficio
    assert found("jose nunez") == found("JOSÉ Núñez") == ["OT-PLAIN-2"]  # client representative
    assert found("ñu") == found("nu") == ["OT-PLAIN-2"]  # a short word (no index) folds the same
    commands.update_order({"id": ot.id, "descripcion_trabajo": "Inspección"}, None)
    assert found("inspeccion") == ["OT-EDIT-3"]


def test_a_write_outside_the_services_is_found_too(ctx):
    """The index is kept by the database (FTS5 triggers; PostgreSQL's stored generated column), so
    bulk loads and bare SQL are searchable as soon as they commit."""
    ot = factories.make_ot(orden_trabajo="OT-SQL-1", descripcion_trabajo="Trabajo original")
    db.session.commit()
    db.session.execute(
        text("UPDATE ote SET descripcion_trabajo = 'Reparación de grúa' WHERE id = :id"), {"id": ot.id}
    )
    db.session.commit()
    assert found("reparacion grua") == ["OT-SQL-1"]
    assert found("original") == []
