"""Reading the OT list's parameters from a query string: shared by the list page and the API."""

from ..errors import fail
from ..fields import parse_id, parse_whole
from . import read

LIST_INT_PARAMS = ("id_cliente", "id_estatus_ot", "id_tipo", "id_frente", "id_pte_header", "ot_principal")


def list_query_from_args(args, max_per_page: int = 200) -> read.ListQuery:
    """Shared by the API and the list page: invalid parameters are a 400, never a 500."""
    query = read.ListQuery(q=(args.get("q") or "")[:200], pte=(args.get("pte") or "").strip()[:100])
    for name in LIST_INT_PARAMS:
        raw = args.get(name, "")
        if raw.strip():
            try:
                setattr(query, name, parse_id(raw))
            except ValueError:
                fail(400, f"El parámetro {name} no es un identificador válido.")
    estatus = args.get("estatus", "").strip()
    if estatus:
        if estatus not in ("-1", "0", "1"):
            fail(400, "El parámetro estatus debe ser -1 (por definir), 0 (eliminadas) o 1 (activas).")
        query.estatus = int(estatus)
    vigentes = args.get("vigentes", "").strip()
    if vigentes:
        if vigentes not in ("0", "1"):
            fail(400, "El parámetro vigentes debe ser 1 (una fila por cadena: su versión vigente) o 0.")
        query.vigentes = vigentes == "1"
    orden = args.get("orden", "").strip() or read.DEFAULT_SORT
    if orden.lstrip("-") not in read.SORTS:
        fail(400, f"El parámetro orden admite: {', '.join(sorted(read.SORTS))} (con - para descendente).")
    query.orden = orden
    for name, default, maximum in (("page", 1, 1_000_000), ("per_page", 50, max_per_page)):
        raw = args.get(name, "").strip()
        try:
            value = parse_whole(raw, maximum) if raw else default
        except ValueError:
            fail(400, f"El parámetro {name} debe ser un entero entre 1 y {maximum:,}.")
        if value < 1:
            fail(400, f"El parámetro {name} debe ser un entero entre 1 y {maximum:,}.")
        setattr(query, name, value)
    return query
