"""Home: the OT list (the page people live in all day)."""

from ..orders.routes import ot_list
from . import bp


@bp.route("/")
def index():
    return ot_list()
