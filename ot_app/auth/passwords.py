"""Password policy: long enough, not a well-known password. No composition rules (NIST 800-63B).
And the login's check, which costs the same whether or not the account exists."""

from __future__ import annotations

from werkzeug.security import check_password_hash

MIN_LENGTH = 10
COMMON = {
    "1234567890",
    "12345678910",
    "0123456789",
    "qwertyuiop",
    "password123",
    "password1234",
    "contraseña",
    "contrasena",
    "contraseña1",
    "contrasena1",
    "contraseña123",
    "contrasena123",
    "1q2w3e4r5t",
    "qwerty1234",
    "qwerty12345",
    "administrador",
    "admin12345",
    "admin123456",
    "iloveyou12",
    "abcdefghij",
    "abc1234567",
    "1111111111",
    "0000000000",
    "aaaaaaaaaa",
    "passw0rd123",
    "bienvenido",
    "bienvenido1",
    "bienvenido123",
    "mexico1234",
    "mexico12345",
    "pemex12345",
    "ot_app12345",
    "changeme123",
    "letmein1234",
    "superman123",
    "dragon12345",
}


def password_problem(password: str, username: str = "") -> str | None:
    """A Spanish message saying what is wrong with the password, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"La contraseña debe tener al menos {MIN_LENGTH} caracteres."
    if len(password) > 200:
        return "La contraseña no puede tener más de 200 caracteres."
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) <= 2:
        return "Esa contraseña es demasiado común; elija otra."
    if username and lowered == username.lower():
        return "La contraseña no puede ser igual al usuario."
    return None


# A scrypt hash (Werkzeug's default parameters, as Usuario.set_password makes them) of a random
# password that was thrown away. Written here rather than made at start-up: making it would cost
# every process (and every test app) one scrypt, and the first unknown-user login would be slower.
DUMMY_HASH = (
    "scrypt:32768:8:1$Yw2P3s8lyxMTeSsX$9225f0c89b611edf8decfa9ee6b9c85461729783d6ecc0b9f5b0a632e21d1c25"
    "688ae2fa158b786d2cf722a3750abae200539711a0251bf6097aa62d90a541b9"
)


def verify(user, password: str) -> bool:
    """True when `user` exists, is active and `password` is theirs. Exactly one scrypt verification
    runs in every case (unknown and inactive users against a dummy hash), so the answer's timing does
    not tell which usernames exist (issue 16, finding 1)."""
    if user is None:
        check_password_hash(DUMMY_HASH, password)
        return False
    ok = user.check_password(password)
    return ok and bool(user.activo)
