"""JSON API compatible with the old system's endpoints (the seed's envelope and field names).

One module per area (ot, pte, catalogs), each route with its OpenAPI metadata (spec.operation);
openapi.py assembles the document; request.py reads bodies and ids."""

from flask import Blueprint

from ..envelope import envelope
from ..service_errors import ServiceError

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.errorhandler(ServiceError)
def service_error(err: ServiceError):
    extra = dict(err.extra)
    if err.errores:
        extra["errores"] = err.errores
    return envelope(False, err.detalles, status=err.status, tipo_aviso=err.tipo_aviso, **extra)


from . import (  # noqa: E402,F401  (the routes, registered on import)
    annexes,
    catalogs,
    concepts,
    conflicts,
    curves,
    openapi,
    ot,
    program_import,
    programs,
    pte,
    timeline,
)
