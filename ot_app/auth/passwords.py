"""Password policy: long enough, not a well-known password. No composition rules (NIST 800-63B)."""

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
