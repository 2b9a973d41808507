"""Reading the PTE list's parameters from a query string: a bad one is a 400 that says which."""

from ..errors import fail
from ..fields import parse_id, parse_whole
from . import read

PAGE_MAX = 100_000


def pte_query_from_args(args) -> read.PTEQuery:
    query = read.PTEQuery(q=(args.get("q") or "")[:200])
    for name in ("id_cliente", "id_estatus_pte"):
        try:
            setattr(query, name, parse_id(args.get(name, "")))
        except ValueError:
            fail(400, f"El parámetro {name} no es un identificador válido.")
    orden = (args.get("orden") or "").strip() or read.DEFAULT_SORT
    if orden.lstrip("-") not in read.SORTS:
        fail(400, f"El parámetro orden admite: {', '.join(sorted(read.SORTS))} (con - para descendente).")
    query.orden = orden
    try:
        query.page = parse_whole(args.get("page", ""), PAGE_MAX) or 1
    except ValueError:
        fail(400, f"El parámetro page debe ser un entero entre 1 y {PAGE_MAX:,}.")
    return query
