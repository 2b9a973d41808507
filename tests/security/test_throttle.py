"""Login throttling: 10 failures per (username, IP) pair in 15 minutes → 429 with a Spanish page
and an honest Retry-After; a ceiling of 100 failures per IP against spraying (bad API tokens count
there too); nobody can lock a colleague or an office out; only failures count; the count lives in
the configured storage (per app in tests)."""

import shutil
import socket
import subprocess
import time

import pytest
from limits.storage import MemoryStorage, RedisStorage

from ot_app import create_app
from ot_app.config import TestConfig
from ot_app.extensions import db
from tests import factories
from tests.conftest import _config_dict, csrf_token

from .conftest import make_user

WRONG = "no-es-la-contraseña"
TOO_MANY = "Demasiados intentos fallidos"


def _login(app, username, password, ip="10.0.0.1"):
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = ip
    token = csrf_token(c)
    return c.post("/login", data={"username": username, "password": password, "csrf_token": token})


def _fail(app, username, times, ip="10.0.0.1"):
    for _ in range(times):
        assert _login(app, username, WRONG, ip).status_code == 401


@pytest.fixture
def proxied(tmp_path):
    """An app behind one trusted proxy: the client IP comes from X-Forwarded-For."""
    config = {
        **_config_dict(TestConfig),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'proxied.db'}",
        "TRUST_PROXY_HOPS": 1,
    }
    app = create_app(config)
    with app.app_context():
        db.create_all()
        factories.make_user("mgarcia")
        factories.make_user("jperez")
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _via_proxy(app, username, password, client_ip):
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = "127.0.0.1"  # nginx
    headers = {"X-Forwarded-For": client_ip}
    token = csrf_token(c)  # the session's, whatever address it came from
    return c.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers=headers,
    )


def test_ten_failures_for_a_username_from_one_ip_block_that_pair(app):
    make_user(app, "mgarcia")
    _fail(app, "mgarcia", 10, ip="10.0.1.1")
    r = _login(app, "mgarcia", factories.PASSWORD, ip="10.0.1.1")
    assert r.status_code == 429
    body = r.get_data(as_text=True)
    assert "<html" in body and 'lang="es"' in body
    assert TOO_MANY in body and "minutos" in body
    assert 1 <= int(r.headers["Retry-After"]) <= 15 * 60
    # The same username written differently is the same account to the limiter.
    assert _login(app, "  MGarcia ", factories.PASSWORD, ip="10.0.1.1").status_code == 429


def test_a_colleague_cannot_lock_an_account_from_another_address(proxied):
    """Issue 16, finding 5: ten failures for mgarcia from the attacker's address locked mgarcia
    for everyone. Now the right password from mgarcia's own machine still logs in."""
    for _ in range(10):
        assert _via_proxy(proxied, "mgarcia", WRONG, "10.0.5.66").status_code == 401
    assert _via_proxy(proxied, "mgarcia", factories.PASSWORD, "10.0.5.66").status_code == 429
    assert _via_proxy(proxied, "mgarcia", factories.PASSWORD, "10.0.5.7").status_code == 302


def test_one_person_failing_does_not_lock_out_an_office_behind_one_ip(proxied):
    """Issue 16, finding 5: ten failures from one IP locked everyone behind it (one NAT)."""
    for i in range(10):
        assert _via_proxy(proxied, f"adivinado{i}", WRONG, "10.0.9.9").status_code == 401
    for _ in range(10):
        assert _via_proxy(proxied, "mgarcia", WRONG, "10.0.9.9").status_code == 401
    assert _via_proxy(proxied, "mgarcia", factories.PASSWORD, "10.0.9.9").status_code == 429
    assert _via_proxy(proxied, "jperez", factories.PASSWORD, "10.0.9.9").status_code == 302


def test_the_ip_ceiling_stops_spraying_from_one_address(app):
    app.config["LOGIN_IP_MAX_FAILURES"] = 15  # the default is 100; the rule is the same
    make_user(app, "mgarcia")
    for i in range(15):
        _fail(app, f"adivinado{i}", 1, ip="10.0.0.9")
    r = _login(app, "mgarcia", factories.PASSWORD, ip="10.0.0.9")
    assert r.status_code == 429 and TOO_MANY in r.get_data(as_text=True)
    assert 1 <= int(r.headers["Retry-After"]) <= 15 * 60
    assert _login(app, "mgarcia", factories.PASSWORD, ip="10.0.0.10").status_code == 302


def test_retry_after_says_when_an_attempt_really_goes_through(app, clock):
    make_user(app, "mgarcia")
    _fail(app, "mgarcia", 5)
    clock.advance(minutes=5)
    _fail(app, "mgarcia", 5)
    clock.advance(minutes=1)
    r = _login(app, "mgarcia", factories.PASSWORD)
    assert r.status_code == 429
    wait = int(r.headers["Retry-After"])
    assert 9 * 60 - 5 <= wait <= 9 * 60 + 5  # the first failure leaves the window 15 min after it
    clock.advance(seconds=wait - 3)
    assert _login(app, "mgarcia", factories.PASSWORD).status_code == 429
    clock.advance(seconds=5)
    assert _login(app, "mgarcia", factories.PASSWORD).status_code == 302


def test_bad_bearer_tokens_count_against_the_ip_like_failed_logins(app, api_token):
    """Issue 16, finding 6: API calls with a bad token were never throttled."""
    app.config["LOGIN_IP_MAX_FAILURES"] = 12
    good = api_token("lector")
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = "10.0.7.7"
    for i in range(12):
        r = c.get("/api/ot/listar", headers={"Authorization": f"Bearer ot_adivinado{i}"})
        assert r.status_code == 401
    r = c.get("/api/ot/listar", headers={"Authorization": "Bearer ot_otro"})
    assert r.status_code == 429
    assert r.get_json()["exito"] is False and TOO_MANY in r.get_json()["detalles"]
    assert 1 <= int(r.headers["Retry-After"]) <= 15 * 60
    # The address is blocked for the login page too; another address is not.
    assert _login(app, "nadie", WRONG, ip="10.0.7.7").status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.7.8"
    assert other.get("/api/ot/listar", headers={"Authorization": f"Bearer {good}"}).status_code == 200


def test_nine_failures_still_let_the_user_in(app):
    make_user(app, "mgarcia")
    _fail(app, "mgarcia", 9)
    assert _login(app, "mgarcia", factories.PASSWORD).status_code == 302


def test_successful_logins_do_not_count(app):
    make_user(app, "mgarcia")
    _fail(app, "mgarcia", 9)
    for _ in range(15):
        assert _login(app, "mgarcia", factories.PASSWORD).status_code == 302
    _fail(app, "mgarcia", 1)  # the tenth failure
    assert _login(app, "mgarcia", factories.PASSWORD).status_code == 429


def test_the_block_lifts_when_the_failures_leave_the_15_minute_window(app, clock):
    make_user(app, "mgarcia")
    _fail(app, "mgarcia", 10)
    assert _login(app, "mgarcia", factories.PASSWORD).status_code == 429
    clock.advance(minutes=14)
    assert _login(app, "mgarcia", factories.PASSWORD).status_code == 429
    clock.advance(minutes=1, seconds=2)
    assert _login(app, "mgarcia", factories.PASSWORD).status_code == 302


def test_a_blocked_attempt_is_not_checked_and_not_counted_again(app, clock):
    """The 11th attempt is refused before the password is checked; refusals don't extend the block."""
    make_user(app, "mgarcia")
    _fail(app, "mgarcia", 10)
    for _ in range(5):
        assert _login(app, "mgarcia", WRONG).status_code == 429
    clock.advance(minutes=15, seconds=2)
    assert _login(app, "mgarcia", factories.PASSWORD).status_code == 302


def test_the_login_page_itself_still_opens_while_blocked(app):
    make_user(app, "mgarcia")
    _fail(app, "mgarcia", 10)
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    assert c.get("/login").status_code == 200


def test_each_app_has_its_own_memory_count(app, tmp_path):
    """A new app (each test, each process) starts from zero with the default memory storage."""
    make_user(app, "mgarcia")
    _fail(app, "mgarcia", 10)
    other = create_app(
        {**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'o.db'}"}
    )
    with other.app_context():
        db.create_all()
        factories.make_user("mgarcia")
        db.session.commit()
    assert _login(other, "mgarcia", factories.PASSWORD).status_code == 302
    assert isinstance(other.extensions["ot_limiter"].storage, MemoryStorage)


def test_storage_comes_from_ratelimit_storage_uri():
    app = create_app({**_config_dict(TestConfig), "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"})
    assert isinstance(app.extensions["ot_limiter"].storage, RedisStorage)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    proc = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_two_workers_share_the_count_through_redis(tmp_path, redis_url):
    """Two apps (two gunicorn workers, or two hosts) on one Redis see one count."""
    uri = f"sqlite:///{tmp_path / 'shared.db'}"
    config = {**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": uri, "RATELIMIT_STORAGE_URI": redis_url}
    worker_a, worker_b = create_app(config), create_app(config)
    with worker_a.app_context():
        db.create_all()
        factories.make_user("mgarcia")
        db.session.commit()
    _fail(worker_a, "mgarcia", 5, ip="10.0.3.1")
    _fail(worker_b, "mgarcia", 5, ip="10.0.3.1")
    assert _login(worker_a, "mgarcia", factories.PASSWORD, ip="10.0.3.1").status_code == 429
    assert _login(worker_b, "mgarcia", factories.PASSWORD, ip="10.0.3.1").status_code == 429
