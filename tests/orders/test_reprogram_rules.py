"""Issue 12: reprogramming as baselines — motivo, prefilled versions, warnings, read-only replaced
versions, lineage. (Numbering and folios of the chain are in test_reprogram.py.)"""

from ot_app.extensions import db
from ot_app.models import OTE
from ot_app.orders.forms import MOTIVO_MAX


def create(api, base, **kw):
    r = api.post("/api/ot/crear", data=base.payload(**kw))
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id_nuevo"]


def test_motivo_is_a_column_with_a_length_limit(app, api, base):
    ot_id = create(api, base, motivo="  Cambio de alcance  ")
    with app.app_context():
        assert db.session.get(OTE, ot_id).motivo == "Cambio de alcance"
    r = api.post("/api/ot/editar", data={"id": ot_id, "motivo": "x" * (MOTIVO_MAX + 1)})
    assert r.status_code == 400
    assert r.get_json()["errores"]["motivo"] == f"El motivo admite hasta {MOTIVO_MAX:,} caracteres."
