"""Response shapes: each JSON object the API sends is a frozen dataclass whose annotations say both
what `to_json()` emits and the JSON Schema `schema()` publishes, so the two cannot drift.

    @dataclass(frozen=True, slots=True)
    class Paso(Shape):
        id: int
        comentario: Annotated[str | None, "Texto libre."]   # a description for the document
        monto: Money                                        # Decimal, sent as "1234.50"
        versiones: list[Version]                            # array of $ref Version

Annotations understood: int, str, bool, date (sent ISO), Money, IdOrEmpty, `X | None`, another
Shape, `list[X]`, `dict[str, X]` (an object keyed by name), and `Annotated[X, "description"]`. Schemas are strict like the document's: every
key required, no other key allowed. What each field needs is worked out once per class."""

from __future__ import annotations

import copy
import dataclasses
import types
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin, get_type_hints

from .formatting import amount, iso

REF = "#/components/schemas/"
MONEY_OUT = r"^[0-9]+\.[0-9]{2}$"


@dataclasses.dataclass(frozen=True)
class Encoding:
    """A value type the API sends in its own way: its schema and how a value becomes JSON."""

    schema: dict
    encode: Callable[[Any], Any] | None = None  # None: sent as it is
    keeps_none: bool = False  # encode(None) is None, so `X | None` needs no check of its own


def _id_or_empty(value):
    return value or ""


# An amount, held as a Decimal, sent as "1234.50" (None is "0.00").
Money = Annotated[
    Decimal,
    Encoding({"type": "string", "pattern": MONEY_OUT, "description": "Importe con dos decimales."}, amount),
]
# The seed's quirk: an id, or the empty string when there is none (never null).
IdOrEmpty = Annotated[
    int | None,
    Encoding({"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 0}]}, _id_or_empty),
]

_PLAIN = {
    int: Encoding({"type": "integer"}),
    str: Encoding({"type": "string"}),
    bool: Encoding({"type": "boolean"}),
    date: Encoding({"type": "string", "format": "date"}, iso, keeps_none=True),
}


def _encode_each(encode):
    return lambda values: [encode(v) for v in values]


def _unless_none(encode):
    return lambda value: None if value is None else encode(value)


def _to_json(shape):
    return shape.to_json()


def encoding(annotation) -> Encoding:
    """The schema of a type annotation and how its values are sent."""
    if get_origin(annotation) is Annotated:
        inner, *extras = get_args(annotation)
        found = next((e for e in extras if isinstance(e, Encoding)), None)
        out = found or encoding(inner)
        description = next((e for e in reversed(extras) if isinstance(e, str)), None)
        if description:
            out = dataclasses.replace(out, schema={**out.schema, "description": description})
        return out
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) != 1 or len(get_args(annotation)) != 2:
            raise TypeError(f"{annotation}: only `X | None` is supported")
        inner = encoding(args[0])
        schema = inner.schema
        if isinstance(schema.get("type"), str) and "$ref" not in schema:
            schema = {**schema, "type": [schema["type"], "null"]}
        else:
            schema = {"anyOf": [schema, {"type": "null"}]}
        encode = inner.encode if inner.keeps_none or not inner.encode else _unless_none(inner.encode)
        return Encoding(schema, encode, keeps_none=True)
    if get_origin(annotation) is dict:
        key, item = get_args(annotation)
        if key is not str:
            raise TypeError(f"{annotation}: only dict[str, X] is supported")
        inner = encoding(item)
        encode = inner.encode
        return Encoding(
            {"type": "object", "additionalProperties": inner.schema},
            encode and (lambda values: {k: encode(v) for k, v in values.items()}),
        )
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        inner = encoding(item)
        return Encoding({"type": "array", "items": inner.schema}, inner.encode and _encode_each(inner.encode))
    if isinstance(annotation, type) and issubclass(annotation, Shape):
        return Encoding({"$ref": REF + annotation.component_name()}, _to_json)
    if annotation in _PLAIN:
        return _PLAIN[annotation]
    raise TypeError(f"{annotation!r} is not a type a shape can send")


@dataclasses.dataclass(frozen=True)
class _Plan:
    """What a shape class needs, worked out once: its fields, its two encoders and its schema."""

    names: tuple[str, ...]
    sources: tuple[str, ...]  # the row key or attribute each field is read from
    encode_object: Callable[[Shape], dict]  # instance → the dict the API sends
    encode_row: Callable[[Mapping], dict]  # row → the same dict, with no instance in between
    from_keys: Callable[[Mapping], tuple]  # row → the fields' values, in field order
    schema: dict


_PLANS: dict[type, _Plan] = {}


def _encoder(names, reads, encodings) -> Callable:
    """A function that builds the dict as a literal, like a hand-written serializer and as fast
    (the list sends up to 200 rows a page). It is written the way `dataclasses` writes `__init__`:
    its source holds only field names, which are identifiers, and repr()s of strings."""
    scope = {}
    items = []
    for name, read, enc in zip(names, reads, encodings, strict=True):
        if enc.encode:
            scope[f"_{name}"] = enc.encode
            read = f"_{name}({read})"
        items.append(f"{name!r}: {read}")
    source = "def encode(value):\n    return {" + ", ".join(items) + "}\n"
    exec(source, scope)  # noqa: S102 - see the docstring
    return scope["encode"]


def _plan(cls) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls.__name__} must be a @dataclass(frozen=True, slots=True)")
        hints = get_type_hints(cls, include_extras=True)
        names = tuple(f.name for f in dataclasses.fields(cls))
        encodings = [encoding(hints[name]) for name in names]
        sources = tuple(cls.sources.get(name, name) for name in names)
        keys = itemgetter(*sources)
        plan = _PLANS[cls] = _Plan(
            names=names,
            sources=sources,
            encode_object=_encoder(names, [f"value.{name}" for name in names], encodings),
            encode_row=_encoder(names, [f"value[{source!r}]" for source in sources], encodings),
            from_keys=keys if len(sources) > 1 else (lambda row: (keys(row),)),
            schema={
                "type": "object",
                "properties": {name: e.schema for name, e in zip(names, encodings, strict=True)},
                "required": list(names),
                "additionalProperties": False,
            },
        )
    return plan


class Shape:
    """Base of the response shapes; each subclass is a `@dataclass(frozen=True, slots=True)`."""

    __slots__ = ()
    # The schema's name under #/components/schemas (the class name unless set).
    component: ClassVar[str | None] = None
    # field → the row key or attribute it is read from, where the names differ.
    sources: ClassVar[Mapping[str, str]] = {}

    @classmethod
    def component_name(cls) -> str:
        return cls.component or cls.__name__

    @classmethod
    def schema(cls) -> dict:
        """The strict JSON Schema of what `to_json()` sends (a copy: callers may change it)."""
        return copy.deepcopy(_plan(cls).schema)

    @classmethod
    def from_row(cls, row: Mapping):
        """From a mapping (a query's row, a read function's dict) with the fields' keys."""
        return cls(*_plan(cls).from_keys(row))

    @classmethod
    def from_object(cls, obj, **given):
        """From an object's attributes (a model), except the fields `given` here."""
        plan = _plan(cls)
        values = {
            name: getattr(obj, source)
            for name, source in zip(plan.names, plan.sources, strict=True)
            if name not in given
        }
        return cls(**values, **given)

    def to_json(self) -> dict:
        """The dict the API sends: keys in field order, values encoded by their annotation."""
        return _plan(type(self)).encode_object(self)

    @classmethod
    def json_of_row(cls, row: Mapping) -> dict:
        """`from_row(row).to_json()` without building the instance, for long lists (building 200
        frozen instances costs more than the rest of the serialization)."""
        return _plan(cls).encode_row(row)


def components(*annotations) -> dict[str, dict]:
    """{component name: schema} of the shapes in these annotations (`OTDatos`, `list[OTFila]`) and
    of every shape they refer to."""
    out: dict[str, dict] = {}
    named: dict[str, type[Shape]] = {}
    pending = [shape for annotation in annotations for shape in _shapes_in(annotation)]
    while pending:
        shape = pending.pop()
        name = shape.component_name()
        if named.setdefault(name, shape) is not shape:
            raise ValueError(f"two shapes are named {name}")
        if name in out:
            continue
        out[name] = shape.schema()
        hints = get_type_hints(shape, include_extras=True)
        for field in dataclasses.fields(shape):
            pending.extend(_shapes_in(hints[field.name]))
    return out


def _shapes_in(annotation) -> list[type[Shape]]:
    if isinstance(annotation, type) and issubclass(annotation, Shape):
        return [annotation]
    return [s for arg in get_args(annotation) for s in _shapes_in(arg)]
