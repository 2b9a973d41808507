"""ot_app.shapes: one frozen dataclass per JSON object the API sends, whose annotations give both
what it sends and its JSON Schema; and the API's shapes send what their published schemas say."""

from dataclasses import FrozenInstanceError, dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated

import jsonschema_rs
import pytest
from werkzeug.datastructures import MultiDict

from ot_app.api.catalogs import Catalogo
from ot_app.api.openapi import DOCUMENT
from ot_app.orders import read
from ot_app.orders.query import list_query_from_args
from ot_app.orders.serialize import OTDatos, OTFila, Paso, Reprogramacion
from ot_app.pte.serialize import PTEDatos, PTEFila
from ot_app.shapes import REF, IdOrEmpty, Money, Shape, components


@dataclass(frozen=True, slots=True)
class Linea(Shape):
    id: int
    nombre: str


@dataclass(frozen=True, slots=True)
class Ejemplo(Shape):
    component = "EjemploPublicado"
    sources = {"clave": "id"}

    clave: int
    activo: bool
    fecha: date | None
    monto: Money
    responsable: Annotated[IdOrEmpty, "ID o cadena vacía."]
    nota: Annotated[str | None, "Texto libre."]
    lineas: list[Linea]
    principal: Linea | None


def make(**kw) -> Ejemplo:
    values = {
        "clave": 7,
        "activo": True,
        "fecha": date(2026, 3, 1),
        "monto": Decimal("1234.5"),
        "responsable": 3,
        "nota": None,
        "lineas": [Linea(1, "a"), Linea(2, "b")],
        "principal": None,
    }
    return Ejemplo(**{**values, **kw})


def test_the_schema_is_strict_and_follows_the_annotations():
    schema = Ejemplo.schema()
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert (
        schema["required"]
        == list(schema["properties"])
        == [
            "clave",
            "activo",
            "fecha",
            "monto",
            "responsable",
            "nota",
            "lineas",
            "principal",
        ]
    )
    props = schema["properties"]
    assert props["clave"] == {"type": "integer"}
    assert props["activo"] == {"type": "boolean"}
    assert props["fecha"] == {"type": ["string", "null"], "format": "date"}
    assert props["monto"] == {
        "type": "string",
        "pattern": r"^[0-9]+\.[0-9]{2}$",
        "description": "Importe con dos decimales.",
    }
    assert props["responsable"] == {
        "anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 0}],
        "description": "ID o cadena vacía.",
    }
    assert props["nota"] == {"type": ["string", "null"], "description": "Texto libre."}
    assert props["lineas"] == {"type": "array", "items": {"$ref": REF + "Linea"}}
    assert props["principal"] == {"anyOf": [{"$ref": REF + "Linea"}, {"type": "null"}]}


def test_to_json_encodes_dates_money_the_empty_id_and_nested_shapes():
    assert make().to_json() == {
        "clave": 7,
        "activo": True,
        "fecha": "2026-03-01",
        "monto": "1234.50",
        "responsable": 3,
        "nota": None,
        "lineas": [{"id": 1, "nombre": "a"}, {"id": 2, "nombre": "b"}],
        "principal": None,
    }
    empty = make(fecha=None, monto=None, responsable=None, lineas=[], principal=Linea(9, "z")).to_json()
    assert (empty["fecha"], empty["monto"], empty["responsable"]) == (None, "0.00", "")
    assert (empty["lineas"], empty["principal"]) == ([], {"id": 9, "nombre": "z"})


def test_what_to_json_sends_fits_the_schema():
    schemas = components(Ejemplo)
    assert set(schemas) == {"EjemploPublicado", "Linea"}
    document = {"$defs": schemas, **schemas["EjemploPublicado"]}
    document = _with_local_refs(document)
    validator = jsonschema_rs.validator_for(document)
    for shape in (make(), make(fecha=None, monto=None, responsable=None, principal=Linea(1, "x"))):
        assert validator.is_valid(shape.to_json()), shape
    assert not validator.is_valid({**make().to_json(), "otra": 1})
    assert not validator.is_valid({k: v for k, v in make().to_json().items() if k != "nota"})


def _with_local_refs(node):
    """The components' "#/components/schemas/X" refs as "#/$defs/X", to validate one schema alone."""
    if isinstance(node, dict):
        return {
            k: (v.replace(REF, "#/$defs/") if k == "$ref" else _with_local_refs(v)) for k, v in node.items()
        }
    if isinstance(node, list):
        return [_with_local_refs(v) for v in node]
    return node


def test_from_row_reads_the_fields_keys_or_their_sources():
    row = {"id": 7, "activo": False, "fecha": None, "monto": Decimal("1"), "responsable": None}
    row |= {"nota": "x", "lineas": [], "principal": None, "ignorada": "no se envía"}
    shape = Ejemplo.from_row(row)
    assert shape.clave == 7 and shape.activo is False
    assert Ejemplo.json_of_row(row) == shape.to_json()
    assert Ejemplo.json_of_row(row)["monto"] == "1.00"


def test_from_object_reads_attributes_except_what_is_given():
    class Modelo:
        id = 1
        nombre = "ignorado"

    assert Linea.from_object(Modelo(), nombre="dado").to_json() == {"id": 1, "nombre": "dado"}


def test_a_shape_is_frozen_and_slotted():
    shape = make()
    with pytest.raises(FrozenInstanceError):
        shape.clave = 8
    assert not hasattr(shape, "__dict__")


def test_the_schema_is_a_copy():
    Ejemplo.schema()["properties"].clear()
    assert "clave" in Ejemplo.schema()["properties"]


def test_an_annotation_it_cannot_send_is_refused():
    @dataclass(frozen=True, slots=True)
    class Mala(Shape):
        valor: float

    with pytest.raises(TypeError, match="float"):
        Mala.schema()


# --------------------------------------------------------------------------- the API's shapes


def test_the_document_publishes_each_api_shape_as_declared():
    published = DOCUMENT["components"]["schemas"]
    for shape in (OTDatos, Reprogramacion, OTFila, Paso, PTEDatos, PTEFila, Catalogo):
        assert published[shape.component_name()] == shape.schema(), shape.__name__


def test_a_list_row_sends_the_same_with_or_without_an_instance(app, datos):
    with app.app_context():
        items = read.list_orders(list_query_from_args(MultiDict())).items
        assert len(items) == 3
        for item in items:
            assert OTFila.json_of_row(item) == OTFila.from_row(item).to_json()
