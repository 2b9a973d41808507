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


# The routes, registered on import: program_import before openapi, which builds the document
# from the operations registered by then.
from . import program_import  # noqa: E402,F401,I001  isort: skip
from . import annexes, catalogs, concepts, openapi, ot, pte  # noqa: E402,F401
