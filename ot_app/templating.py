"""Jinja filters: money, dates and labels as a Mexican office reads them."""

from datetime import date, datetime
from decimal import Decimal


def money(value) -> str:
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


def fecha(value) -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def register_templating(app):
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["fecha"] = fecha
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
