"""Issue 17: one date format in the UI (dd/mm/aaaa) and times in the office's time zone (an
installation setting, default America/Mexico_City; stored in UTC; the API keeps ISO 8601)."""

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ot_app import create_app
from ot_app.config import TestConfig
from ot_app.formatting import fecha, fecha_hora, office_today

from .conftest import _config_dict

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_a_date_reads_dd_mm_aaaa():
    assert fecha(date(2027, 3, 15)) == "15/03/2027"
    assert fecha("2027-03-15") == "15/03/2027"
    assert fecha(None) == ""


def test_a_stored_utc_timestamp_is_shown_in_mexico_city_time_by_default(app):
    with app.app_context():
        # 02:30 UTC on 1 Dec is still 30 Nov, 20:30 in Mexico City (UTC-6, no daylight saving).
        assert fecha_hora(datetime(2026, 12, 1, 2, 30)) == "30/11/2026 20:30"
        assert fecha_hora(datetime(2026, 12, 1, 2, 30, tzinfo=UTC)) == "30/11/2026 20:30"
        assert fecha_hora("2026-12-01T02:30:00Z") == "30/11/2026 20:30"
        assert fecha(datetime(2026, 12, 1, 2, 30)) == "30/11/2026 20:30"


def test_the_office_time_zone_is_an_installation_setting(tmp_path):
    app = create_app({**_config(tmp_path), "OFFICE_TIMEZONE": "America/Cancun"})
    with app.app_context():
        assert fecha_hora(datetime(2026, 12, 1, 2, 30)) == "30/11/2026 21:30"  # UTC-5
        assert office_today() == datetime.now(ZoneInfo("America/Cancun")).date()


def test_a_misspelt_time_zone_stops_the_start(tmp_path):
    with pytest.raises(RuntimeError, match="OFFICE_TIMEZONE"):
        create_app({**_config(tmp_path), "OFFICE_TIMEZONE": "Mexico/Ciudad"})


def test_templates_use_the_two_filters_and_never_print_utc_or_iso_dates():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for n, line in enumerate(text.splitlines(), 1):
            if (
                re.search(r"\bUTC\b", line)
                or re.search(r"\.isoformat\(\)", line)
                and 'type="date"' not in line
            ):
                offenders.append(f"{path.relative_to(TEMPLATES)}:{n}")
            if re.search(
                r"(created_at|updated_at|last_used_at|expires_at|creada_en|h\.fecha)\|fecha\b(?!_)", line
            ):
                offenders.append(f"{path.relative_to(TEMPLATES)}:{n} (timestamp through |fecha)")
    # The annex revision table belongs to the annex branch (issue 15); it is converted there.
    offenders = [o for o in offenders if not o.startswith("annexes/")]
    assert offenders == []


def test_the_lineage_and_history_show_local_times(app, editor_client):
    from ot_app.extensions import db
    from ot_app.models import OTE

    from . import factories

    with app.app_context():
        ot = factories.make_ot()
        ot.updated_at = datetime(2026, 12, 1, 2, 30)
        db.session.commit()
        ot_id = db.session.scalar(db.select(OTE.id))
    html = editor_client.get(f"/ot/{ot_id}").get_data(as_text=True)
    assert "30/11/2026 20:30" in html and " UTC" not in html


def _config(tmp_path) -> dict:
    return {**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'tz.db'}"}
