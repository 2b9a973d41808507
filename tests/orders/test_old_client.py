"""An old client of the Django system switches by changing its base URL: same forms, same keys."""

from .test_read import SEED_KEYS


def seed_create_form(base, **kw):
    """Exactly the POST fields the seed's crear_ot reads (plus the parent PTE)."""
    form = {
        "orden_trabajo": "OT-GRZ-801-24-016.7-J-NHA",
        "oficio_ot": "PEP-SAP-0456-2024",
        "id_tipo": "4",
        "descripcion_trabajo": "Rehabilitación de línea de descarga",
        "comentario_general": "Alta desde el sistema anterior",
        "responsable_cliente": "Ing. Laura Méndez",
        "plazo_dias": "45",
        "id_cliente": "",
        "id_frente": "2",
        "responsable_proyecto": str(base.ids.responsable),
        "id_embarcacion": str(base.ids.embarcacion),
        "id_plataforma": str(base.ids.plataforma),
        "id_intercom": "",
        "id_patio": "",
        "monto_mxn": "2,500,000.00",
        "monto_usd": "",
        "fecha_inicio_programado": "2024-03-01",
        "fecha_termino_programado": "2024-04-15",
        "fecha_inicio_real": "",
        "fecha_termino_real": "",
        "id_pte_header": str(base.ids.pte),
    }
    form.update(kw)
    return form


def test_old_client_creates_an_initial_ot_two_versions_and_edits(api, base):
    r = api.post("/api/ot/crear", data=seed_create_form(base))
    body = r.get_json()
    assert (r.status_code, body["exito"], body["tipo_aviso"], body["detalles"]) == (
        200,
        True,
        "exito",
        "OT creada correctamente",
    )
    initial = body["id_nuevo"]

    versions = []
    for n in (1, 2):
        r = api.post(
            "/api/ot/crear",
            data=seed_create_form(
                base,
                id_tipo="5",
                ot_principal=str(initial),
                fecha_inicio_programado=f"2024-0{4 + n}-01",
                fecha_termino_programado=f"2024-0{5 + n}-15",
                monto_mxn=f"{2_500_000 + n * 100_000:,}.00",
            ),
        )
        assert r.status_code == 200, r.get_json()
        versions.append(r.get_json()["id_nuevo"])

    # The seed's edit form, including the yard phase fields.
    r = api.post(
        "/api/ot/editar",
        data={
            "id": str(versions[1]),
            "orden_trabajo": "OT-GRZ-801-24-016.7-J-NHA",
            "responsable_cliente": "Ing. Roberto Sánchez",
            "ot_principal": str(initial),
            "oficio_ot": "PEP-SAP-0456-2024-R2",
            "id_tipo": "5",
            "comentario_general": "Segunda reprogramación",
            "responsable_proyecto": str(base.ids.responsable),
            "id_frente": "2",
            "check_fase_patio": "on",
            "id_patio_fase": str(base.ids.patio2),
            "fecha_inicio_patio": "2024-05-10",
            "fecha_fin_patio": "2024-05-30",
        },
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["exito"] is True

    datos = api.get(f"/api/ot/obtener?id={versions[1]}").get_json()["datos"]
    assert set(datos) >= SEED_KEYS
    assert datos["id_tipo_id"] == 5 and datos["ot_principal"] == initial and datos["num_reprogramacion"] == 2
    assert datos["orden_trabajo"] == "OT-GRZ-801-24-016.7-J-NHA"
    assert datos["responsable_cliente"] == "Ing. Roberto Sánchez"
    assert datos["comentario"] == "Segunda reprogramación"
    assert datos["requiere_patio"] is True and datos["id_patio"] == base.ids.patio2
    assert (datos["fecha_inicio_patio"], datos["fecha_fin_patio"]) == ("2024-05-10", "2024-05-30")
    assert datos["monto_mxn"] == "2700000.00" and datos["id_cliente"] == 2

    initial_datos = api.get(f"/api/ot/obtener?id={initial}").get_json()["datos"]
    assert [v["id"] for v in initial_datos["reprogramaciones"]] == versions
    listed = {r["id"]: r for r in api.get("/api/ot/listar").get_json()["datos"]}
    assert listed[initial]["reprogramaciones"] == 2
    assert listed[versions[0]]["num_reprogramacion"] == 1
