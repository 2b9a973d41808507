"""The reprogramming's folio picker (`lookups.initial_orders`) answers on the search index too
(issue 20: the edit page, prefilled with the whole folio, read every initial OT): the same answers
as the plain `contains`, on SQLite and PostgreSQL."""

from ot_app.extensions import db
from ot_app.orders import lookups

from .. import factories


def _folios(q):
    return sorted(r["orden_trabajo"] for r in lookups.initial_orders(q))


def test_the_folio_picker_finds_what_contains_finds(ctx):
    factories.make_ot(orden_trabajo="OT-PIC-100-A")
    factories.make_ot(orden_trabajo="OT-PIC-1000-B", oficio_ot="PEP-ÁREA-7")
    factories.make_ot(orden_trabajo="OT PIC 9")
    db.session.commit()
    assert _folios("ot-pic-100") == ["OT-PIC-100-A", "OT-PIC-1000-B"]
    assert _folios("OT-PIC-1000-B") == ["OT-PIC-1000-B"]  # the whole folio, as the edit page asks
    assert _folios("rea-7") == ["OT-PIC-1000-B"]  # in the oficio
    assert _folios("pic 9") == ["OT PIC 9"]  # a space: the plain contains alone
    assert _folios("pi") == ["OT PIC 9", "OT-PIC-100-A", "OT-PIC-1000-B"]  # under a trigram
