"""GET /api/pte/listar: the live PTEs by oficio; `aprobada=1` only the approved, `aprobada=0` the
others; each row says whether it is approved (the model's `PTEHeader.aprobada`)."""

from ot_app.extensions import db
from ot_app.models import EstatusPTEId, Registro

from .. import factories


def test_pte_listar_filters_by_approval_and_hides_deleted_ptes(app, api_as):
    with app.app_context():
        factories.make_pte("PTE-C-APROBADA", estatus_pte=EstatusPTEId.APROBADA)
        factories.make_pte("PTE-A-ENVIADA", estatus_pte=EstatusPTEId.ENVIADA)
        factories.make_pte("PTE-B-BORRADOR", estatus_pte=EstatusPTEId.EN_ELABORACION)
        factories.make_pte("PTE-D-BORRADA", estatus_pte=EstatusPTEId.APROBADA, estatus=Registro.ELIMINADA)
        db.session.commit()
    lector = api_as("lector")

    def listed(query=""):
        body = lector.get(f"/api/pte/listar{query}").get_json()
        assert body["detalles"] == f"{len(body['datos'])} PTE"
        return [(row["oficio_pte"], row["aprobada"]) for row in body["datos"]]

    assert listed() == [("PTE-A-ENVIADA", False), ("PTE-B-BORRADOR", False), ("PTE-C-APROBADA", True)]
    assert listed("?aprobada=1") == [("PTE-C-APROBADA", True)]
    assert listed("?aprobada=0") == [("PTE-A-ENVIADA", False), ("PTE-B-BORRADOR", False)]
    row = lector.get("/api/pte/listar?aprobada=1").get_json()["datos"][0]
    assert row["aprobada"] is True and row["id_estatus_pte"] == EstatusPTEId.APROBADA
