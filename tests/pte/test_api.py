"""/api/pte: the same envelope and services as the pages; writes for editors and admins."""


def test_pte_api_create_edit_status_get_delete(api):
    r = api.post(
        "/api/pte/crear",
        data={"oficio_pte": "PEP-API-1", "descripcion": "Ductos", "id_cliente": "2", "monto_mxn": "1,000.50"},
    )
    body = r.get_json()
    assert r.status_code == 200 and body["exito"] is True
    pte_id = body["id_nuevo"]
    assert api.post("/api/pte/editar", data={"id": pte_id, "plazo_dias": "30"}).get_json()["version"] == 2
    bad = api.post("/api/pte/estatus", data={"id": pte_id, "id_estatus_pte": "3"})
    assert bad.status_code == 400 and "no puede pasar a Aprobada" in bad.get_json()["detalles"]
    assert api.post("/api/pte/estatus", json={"id": pte_id, "id_estatus_pte": 2}).status_code == 200
    datos = api.get(f"/api/pte/obtener?id={pte_id}").get_json()["datos"]
    assert (datos["oficio_pte"], datos["estatus_pte"], datos["monto_mxn"], datos["plazo_dias"]) == (
        "PEP-API-1",
        "Enviada",
        "1000.50",
        30,
    )
    assert (
        api.post("/api/pte/eliminar", data={"id": pte_id}).get_json()["detalles"]
        == "PTE eliminada correctamente"
    )
    assert api.get("/api/pte/obtener?id=999").status_code == 404


def test_pte_api_validation_and_roles(api, api_lector):
    r = api.post("/api/pte/crear", data={"descripcion": "x"})
    assert r.status_code == 400
    assert set(r.get_json()["errores"]) == {"oficio_pte", "id_cliente"}
    assert (
        api_lector.post(
            "/api/pte/crear", data={"oficio_pte": "X", "descripcion": "x", "id_cliente": "1"}
        ).status_code
        == 403
    )
    assert api_lector.get("/api/pte/listar").get_json()["datos"] == []  # neither post created one
    assert api_lector.get("/api/pte/listar").status_code == 200
