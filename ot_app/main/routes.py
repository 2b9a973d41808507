"""Home: the OT list (the page people live in all day), served by the orders blueprint's view."""

from ..orders.routes import lista
from . import bp

bp.add_url_rule("/", "index", lista)
