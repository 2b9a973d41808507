"""`reprogram_order` and POST /api/ot/reprogramar (issue 12): version n + 1 prefilled from the
current one, with a motivo; the 25 % rule and the other warnings; concurrency."""

import threading
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from ot_app.extensions import db
from ot_app.models import OTE, ActividadLog, EstatusPTEId, OTDetalle
from ot_app.orders import baselines

from .. import factories


def create(api, base, **kw):
    r = api.post("/api/ot/crear", data=base.payload(**kw))
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id_nuevo"]


def reprogram(api, ot_id, motivo="Ampliación de alcance", **kw):
    return api.post("/api/ot/reprogramar", data={"id": ot_id, "motivo": motivo, **kw})


# --------------------------------------------------------------------------- the 25 % rule


def figures(**kw):
    out = dict(
        num_reprogramacion=1,
        fecha_inicio_programado=date(2026, 1, 1),
        fecha_termino_programado=date(2026, 2, 1),
        plazo_dias=10000,
        monto_mxn=Decimal("1000.00"),
        monto_usd=Decimal("1000.00"),
    )
    out.update(kw)
    return SimpleNamespace(**out)


CASES = {
    "monto_mxn": {"24.99": Decimal("1249.90"), "25.00": Decimal("1250.00"), "25.01": Decimal("1250.10")},
    "monto_usd": {"24.99": Decimal("750.10"), "25.00": Decimal("750.00"), "25.01": Decimal("749.90")},
    "plazo_dias": {"24.99": 12499, "25.00": 12500, "25.01": 12501},
}


@pytest.mark.parametrize("campo", sorted(CASES))
@pytest.mark.parametrize(("pct", "warned"), [("24.99", False), ("25.00", False), ("25.01", True)])
def test_the_25_percent_rule_boundary_for_each_currency_and_the_plazo(campo, pct, warned):
    original = figures(num_reprogramacion=None)
    version = figures(**{campo: CASES[campo][pct]})
    assert abs(baselines.percentage(getattr(original, campo), getattr(version, campo))) == Decimal(pct)
    assert baselines.exceeds_limit(getattr(original, campo), getattr(version, campo)) is warned
    found = [w for w in baselines.warnings(version, original=original) if w["campo"] == campo]
    assert bool(found) is warned
    if warned:
        assert "más del 25.00 %" in found[0]["mensaje"]


def test_a_zero_original_has_no_percentage():
    original = figures(num_reprogramacion=None, monto_usd=Decimal("0"))
    version = figures(monto_usd=Decimal("5000.00"))
    assert baselines.percentage(Decimal("0"), Decimal("5000.00")) is None
    assert not baselines.exceeds_limit(None, Decimal("5000.00"))
    (found,) = [w for w in baselines.warnings(version, original=original) if w["campo"] == "monto_usd"]
    assert found["mensaje"] == "Monto USD: el original (R0) es 0, sin base de comparación."
    assert baselines.change("monto_usd", Decimal("0"), Decimal("5000.00")) == {
        "de": "0.00",
        "a": "5000.00",
        "diferencia": "5000.00",
        "porcentaje": None,
    }


def test_start_before_the_predecessors_end_and_por_definir_are_warnings():
    previous = figures(fecha_termino_programado=date(2026, 2, 1))
    early = figures(num_reprogramacion=2, fecha_inicio_programado=date(2025, 2, 1))
    (found,) = baselines.warnings(early, previous=previous)
    assert found == {
        "campo": "fecha_inicio_programado",
        "mensaje": "Inicia el 01/02/2025, antes del término programado de R1 (01/02/2026).",
    }
    empty = figures(
        fecha_inicio_programado=None,
        fecha_termino_programado=None,
        monto_mxn=Decimal(0),
        monto_usd=Decimal(0),
    )
    assert [w["mensaje"] for w in baselines.warnings(empty, previous=previous)] == [
        "Inicio programado: por definir.",
        "Término programado: por definir.",
        "Montos por definir (MXN y USD en 0).",
    ]


# --------------------------------------------------------------------------- the use case


def test_reprogram_creates_the_next_version_prefilled_from_the_current_one(app, api, base):
    r0 = create(api, base, orden_trabajo="OT-RP-1", id_frente=2, id_embarcacion=base.ids.embarcacion,
                id_plataforma=base.ids.plataforma, check_fase_patio="on", id_patio_fase=base.ids.patio,
                fecha_inicio_patio="2026-01-10", fecha_fin_patio="2026-01-20", monto_usd="1000")  # fmt: skip
    r = reprogram(api, r0, motivo="  Cambio de alcance  ", oficio_ot="PEP-R1")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert (body["num_reprogramacion"], body["advertencias"], body["tipo_aviso"]) == (1, [], "exito")
    with app.app_context():
        old, new = db.session.get(OTE, r0), db.session.get(OTE, body["id_nuevo"])
        assert (new.id_tipo, new.ot_principal, new.orden_trabajo) == (5, r0, "OT-RP-1")
        for name in ("id_pte_header", "id_cliente", "id_frente", "id_embarcacion", "id_plataforma",
                     "descripcion_trabajo", "responsable_cliente", "id_responsable_proyecto", "plazo_dias",
                     "monto_mxn", "monto_usd", "requiere_patio", "id_patio", "fecha_inicio_patio"):  # fmt: skip
            assert getattr(new, name) == getattr(old, name), name
        assert new.fecha_inicio_programado == old.fecha_termino_programado == date(2026, 3, 17)
        assert new.fecha_termino_programado == date(2026, 5, 1)  # + 45 days
        assert (new.motivo, new.oficio_ot, new.fecha_inicio_real) == ("Cambio de alcance", "PEP-R1", None)
        assert db.session.scalar(db.select(db.func.count()).where(OTDetalle.id_ot == new.id)) > 0
        log = db.session.scalars(db.select(ActividadLog).where(ActividadLog.entidad_id == new.id)).one()
        assert log.accion == "reprogramar" and log.cambios["motivo"] == [None, "Cambio de alcance"]
    # The next one numbers itself after it, and starts where it ends.
    r = reprogram(api, body["id_nuevo"], plazo_dias="100", monto_mxn="2,000,000.00")
    assert r.status_code == 200 and r.get_json()["num_reprogramacion"] == 2
    assert {w["campo"] for w in r.get_json()["advertencias"]} == {"plazo_dias", "monto_mxn"}
    assert r.get_json()["tipo_aviso"] == "advertencia"


def test_reprogram_needs_a_motivo(app, api, base):
    r0 = create(api, base)
    for motivo in ("", "   "):
        r = reprogram(api, r0, motivo=motivo)
        assert r.status_code == 400
        assert r.get_json()["errores"]["motivo"] == "El motivo de la reprogramación es obligatorio."


def test_reprogram_of_another_member_is_a_409_naming_the_current_version(app, api, base):
    r0 = create(api, base, orden_trabajo="OT-RP-2")
    r1 = reprogram(api, r0).get_json()["id_nuevo"]
    r2 = reprogram(api, r1).get_json()["id_nuevo"]
    for ot_id in (r0, r1):
        r = reprogram(api, ot_id)
        assert r.status_code == 409
        assert r.get_json()["detalles"] == (
            f"Esta versión fue reemplazada por R2 (ID {r2}): reprograme la versión vigente."
        )
        assert r.get_json()["vigente"] == r2


def test_reprogram_pte_may_change_only_to_an_approved_one(app, api, base):
    r0 = create(api, base)
    with app.app_context():
        draft = factories.make_pte("PTE-BORRADOR", estatus_pte=EstatusPTEId.EN_ELABORACION)
        other = factories.make_pte("PTE-OTRA", id_cliente=2)
        db.session.commit()
        draft_id, other_id = draft.id, other.id
    r = reprogram(api, r0, id_pte_header=draft_id)
    assert r.status_code == 400 and "no está aprobada" in r.get_json()["errores"]["id_pte_header"]
    r = reprogram(api, r0, id_pte_header=other_id)
    assert r.status_code == 200, r.get_json()
    with app.app_context():
        assert db.session.get(OTE, r.get_json()["id_nuevo"]).id_pte_header == other_id


def test_reprogram_folio_is_fixed(api, base):
    r0 = create(api, base, orden_trabajo="OT-RP-3")
    r = reprogram(api, r0, orden_trabajo="OT-OTRO")
    assert r.status_code == 400
    assert (
        r.get_json()["errores"]["orden_trabajo"]
        == "Una reprogramación lleva el folio de su OT inicial: OT-RP-3."
    )


def test_reprogram_without_dates_or_amounts_is_allowed_and_por_definir(app, api, base):
    r0 = create(api, base)
    r = reprogram(api, r0, fecha_inicio_programado="", plazo_dias="", monto_mxn="", monto_usd="")
    assert r.status_code == 200, r.get_json()
    assert [w["mensaje"] for w in r.get_json()["advertencias"]] == [
        "Inicio programado: por definir.",
        "Término programado: por definir.",
        "Montos por definir (MXN y USD en 0).",
    ]


def test_reprogram_starting_before_the_predecessors_end_is_a_warning(app, api, base):
    r0 = create(api, base)
    r = reprogram(api, r0, fecha_inicio_programado="2025-03-17")
    assert r.status_code == 200
    assert r.get_json()["advertencias"] == [
        {
            "campo": "fecha_inicio_programado",
            "mensaje": "Inicia el 17/03/2025, antes del término programado de R0 (17/03/2026).",
        }
    ]


def test_two_users_reprogramming_one_version_at_once_one_wins(app, api_token, base):
    from .conftest import Api

    token = api_token("editor", "concurrente")
    client = Api(app.test_client(), token)
    r0 = create(client, base, orden_trabajo="OT-RP-CONC")
    barrier = threading.Barrier(2)
    answers = []

    def worker():
        c = Api(app.test_client(), token)
        barrier.wait()
        answers.append(reprogram(c, r0).get_json())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [a for a in answers if a["exito"]]
    lost = [a for a in answers if not a["exito"]]
    assert len(won) == 1 and len(lost) == 1, answers
    assert lost[0]["vigente"] == won[0]["id_nuevo"]
    assert lost[0]["detalles"].startswith(f"Esta versión fue reemplazada por R1 (ID {won[0]['id_nuevo']})")
    with app.app_context():
        assert db.session.scalars(db.select(OTE.num_reprogramacion).where(OTE.ot_principal == r0)).all() == [
            1
        ]


@pytest.mark.parametrize("attempt", range(3))
def test_an_edit_racing_a_reprogramming_never_lands_on_the_replaced_version(app, api_token, base, attempt):
    """Both at once: either the edit lands first and the new version copies it, or the version is
    created first and the edit is refused naming it. Never an edit of R0 after R1 copied it."""
    from .conftest import Api

    token = api_token("editor", "carrera")
    client = Api(app.test_client(), token)
    r0 = create(client, base, orden_trabajo=f"OT-RP-RACE-{attempt}")
    version = client.get(f"/api/ot/obtener?id={r0}").get_json()["datos"]["version"]
    barrier = threading.Barrier(2)
    answers = {}

    def edit():
        c = Api(app.test_client(), token)
        barrier.wait()
        answers["edit"] = c.post(
            "/api/ot/editar", data={"id": r0, "version": version, "responsable_cliente": "Editado"}
        ).get_json()

    def repro():
        c = Api(app.test_client(), token)
        barrier.wait()
        answers["repro"] = reprogram(c, r0).get_json()

    threads = [threading.Thread(target=edit), threading.Thread(target=repro)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers["repro"]["exito"], answers
    r1 = client.get(f"/api/ot/obtener?id={answers['repro']['id_nuevo']}").get_json()["datos"]
    if answers["edit"]["exito"]:
        assert r1["responsable_cliente"] == "Editado", answers
    else:
        assert answers["edit"]["detalles"].startswith("Esta versión fue reemplazada por R1"), answers


# --------------------------------------------------------------------------- lineage


def test_versiones_is_the_lineage_of_any_member_with_changes_and_warnings(app, api, base):
    r0 = create(api, base, orden_trabajo="OT-LIN-1", monto_mxn="1,000,000.00", plazo_dias="40",
                fecha_inicio_programado="2026-01-01", fecha_termino_programado="2026-02-10")  # fmt: skip
    r1 = reprogram(api, r0, motivo="Ajuste menor", monto_mxn="1,200,000.00").get_json()["id_nuevo"]
    r2 = reprogram(api, r1, motivo="Ampliación", monto_mxn="1,300,000.00", oficio_ot="PEP-R2").get_json()[
        "id_nuevo"
    ]
    for member in (r0, r1, r2):
        r = api.get(f"/api/ot/versiones?id={member}")
        assert r.status_code == 200
        datos = r.get_json()["datos"]
        assert (datos["folio"], datos["ot_principal"], datos["vigente"]) == ("OT-LIN-1", r0, r2)
    v0, v1, v2 = datos["versiones"]
    assert [(v["id"], v["num_reprogramacion"], v["vigente"]) for v in (v0, v1, v2)] == [
        (r0, 0, False),
        (r1, 1, False),
        (r2, 2, True),
    ]
    assert (v0["cambios_vs_anterior"], v0["cambios_vs_original"], v0["advertencias"]) == ({}, {}, [])
    assert v1["fecha_inicio_programado"] == "2026-02-10" and v1["fecha_termino_programado"] == "2026-03-22"
    assert v2["cambios_vs_anterior"]["monto_mxn"] == {
        "de": "1200000.00",
        "a": "1300000.00",
        "diferencia": "100000.00",
        "porcentaje": "8.33",
    }
    assert v2["cambios_vs_original"]["monto_mxn"]["porcentaje"] == "30.00"
    assert v2["cambios_vs_anterior"]["fecha_inicio_programado"] == {
        "de": "2026-02-10",
        "a": "2026-03-22",
        "diferencia": "40",
        "porcentaje": None,
    }
    assert [w["campo"] for w in v2["advertencias"]] == ["monto_mxn"]
    assert v1["advertencias"] == []  # 20 %
    assert (v2["motivo"], v2["oficio_ot"], v1["motivo"]) == ("Ampliación", "PEP-R2", "Ajuste menor")
    assert v2["creada_por"] and v2["creada_en"].endswith("Z")
    # Deleting the current version: the lineage ends at R1, which is current again.
    api.post("/api/ot/eliminar", data={"id": r2})
    datos = api.get(f"/api/ot/versiones?id={r0}").get_json()["datos"]
    assert datos["vigente"] == r1 and [v["id"] for v in datos["versiones"]] == [r0, r1]


def test_versiones_of_a_lone_initial_ot(api, base):
    r0 = create(api, base, orden_trabajo="OT-LIN-2")
    datos = api.get(f"/api/ot/versiones?id={r0}").get_json()["datos"]
    assert datos["vigente"] == r0 and len(datos["versiones"]) == 1
    assert api.get("/api/ot/versiones?id=99999").status_code == 404


# --------------------------------------------------------------------------- the list, one row per chain


def test_listar_vigentes_is_one_row_per_chain_the_current_version(app, api, base):
    a0 = create(api, base, orden_trabajo="OT-VL-A")
    a1 = reprogram(api, a0).get_json()["id_nuevo"]
    a2 = reprogram(api, a1).get_json()["id_nuevo"]
    b0 = create(api, base, orden_trabajo="OT-VL-B")
    c0 = create(api, base, orden_trabajo="OT-VL-C")
    c1 = reprogram(api, c0).get_json()["id_nuevo"]
    api.post("/api/ot/eliminar", data={"id": c1})  # C's current version is its initial OT again
    body = api.get("/api/ot/listar?vigentes=1&orden=id").get_json()
    rows = {row["id"]: row for row in body["datos"]}
    assert sorted(rows) == sorted([a2, b0, c0]) and body["total"] == 3
    assert (rows[a2]["num_reprogramacion"], rows[a2]["reprogramaciones"]) == (2, 2)
    assert (rows[b0]["reprogramaciones"], rows[c0]["reprogramaciones"]) == (0, 0)
    assert api.get("/api/ot/listar").get_json()["total"] == 5
    assert api.get("/api/ot/listar?vigentes=0").get_json()["total"] == 5
    r = api.get("/api/ot/listar?vigentes=si")
    assert r.status_code == 400 and "vigentes" in r.get_json()["detalles"]
