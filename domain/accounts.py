"""Editor accounts: password hashes and the configuration read from Streamlit secrets.

Editing is off unless an administrator configures at least one editor. Passwords live in
``.streamlit/secrets.toml`` only as PBKDF2-SHA256 hashes (``python cli.py hash-password``); a
plain-text password, a truncated hash or a hash weaker than ``MIN_ITERATIONS`` is refused, so a
careless configuration disables an account instead of weakening it::

    [editeurs]
    marie = "pbkdf2_sha256$600000$…$…"

    [editeurs_oidc]              # with an [auth] section for st.login
    emails = ["marie@exemple.fr"]
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000
# OWASP's 2023 floor for PBKDF2-SHA256; a hash below it is treated as misconfigured, not accepted.
MIN_ITERATIONS = 600_000
# The iteration count comes from the secrets file; the cap keeps a typo from costing minutes per login.
MAX_ITERATIONS = 10_000_000
SALT_BYTES = 16
HASH_BYTES = 32
MAX_PASSWORD_CHARS = 1024
PASSWORD_SECTION = "editeurs"
OIDC_SECTION = "editeurs_oidc"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(password: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations, dklen=HASH_BYTES)


def hash_password(password: str, *, iterations: int = ITERATIONS) -> str:
    """``pbkdf2_sha256$<iterations>$<salt base64>$<hash base64>`` with a fresh random salt."""
    if not isinstance(password, str) or not password:
        raise ValueError("le mot de passe est vide")
    if len(password) > MAX_PASSWORD_CHARS:
        raise ValueError(f"le mot de passe dépasse {MAX_PASSWORD_CHARS} caractères")
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise ValueError(f"le nombre d'itérations doit être entre {MIN_ITERATIONS} et {MAX_ITERATIONS}")
    salt = secrets.token_bytes(SALT_BYTES)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(_derive(password, salt, iterations))}"


def _parse(encoded: object) -> tuple[int, bytes, bytes] | None:
    if not isinstance(encoded, str):
        return None
    parts = encoded.strip().split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM or not parts[1].isascii() or not parts[1].isdigit():
        return None
    iterations = int(parts[1])
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        return None
    try:
        salt, digest = _unb64(parts[2]), _unb64(parts[3])
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    if len(salt) < SALT_BYTES or len(digest) != HASH_BYTES:
        return None
    return iterations, salt, digest


def is_password_hash(encoded: object) -> bool:
    """True for a well-formed hash of ``hash_password``'s format, strong enough to be accepted."""
    return _parse(encoded) is not None


def verify_password(password: object, encoded: object) -> bool:
    """Constant-time check of ``password`` against ``encoded``; anything malformed is simply False."""
    parsed = _parse(encoded)
    if parsed is None or not isinstance(password, str) or not password or len(password) > MAX_PASSWORD_CHARS:
        return False
    iterations, salt, digest = parsed
    return hmac.compare_digest(_derive(password, salt, iterations), digest)


# Checked when the login is unknown, so that the answer takes as long as for a real account and
# the response time does not tell which logins exist.
_DUMMY_HASH = f"{ALGORITHM}${ITERATIONS}${_b64(bytes(SALT_BYTES))}${_b64(bytes(HASH_BYTES))}"


def check_login(accounts: Mapping[str, str], login: str, password: str) -> bool:
    """True when ``login`` is a configured editor and ``password`` matches its hash."""
    encoded = accounts.get(login)
    if encoded is None:
        verify_password(password or "x", _DUMMY_HASH)
        return False
    return verify_password(password, encoded)


def hash_fingerprint(encoded: str) -> str:
    """A short digest of an account's hash: a session logged in with it ends when the hash changes."""
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class EditorConfig:
    """Who may edit, and the configuration entries that were refused (in French, for the admin)."""

    accounts: dict[str, str] = field(default_factory=dict)
    oidc_emails: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()


def _section(secrets_mapping: Mapping[str, object] | None, name: str) -> Mapping[str, object] | None:
    if secrets_mapping is None:
        return None
    try:
        value = secrets_mapping.get(name)
    except Exception:  # noqa: BLE001 - a broken secrets object means no configuration, never a crash
        return None
    return value if isinstance(value, Mapping) else None


def read_editor_config(secrets_mapping: Mapping[str, object] | None) -> EditorConfig:
    accounts: dict[str, str] = {}
    problems: list[str] = []
    section = _section(secrets_mapping, PASSWORD_SECTION)
    if secrets_mapping is not None and section is None and _has(secrets_mapping, PASSWORD_SECTION):
        problems.append(f"[{PASSWORD_SECTION}] doit être une table (identifiant = empreinte du mot de passe).")
    for login, encoded in (section or {}).items():
        name = str(login).strip()
        if not name:
            problems.append(f"[{PASSWORD_SECTION}] : identifiant vide ignoré.")
        elif not is_password_hash(encoded):
            # Never echo the value: it may be a plain-text password.
            problems.append(
                f"[{PASSWORD_SECTION}] « {name} » ignoré : la valeur n'est pas une empreinte "
                f"pbkdf2_sha256 valide (au moins {MIN_ITERATIONS} itérations) ; un mot de passe en clair "
                "n'est jamais accepté. Utilisez « python cli.py hash-password »."
            )
        else:
            accounts[name] = str(encoded).strip()
    emails: set[str] = set()
    oidc = _section(secrets_mapping, OIDC_SECTION)
    raw = (oidc or {}).get("emails", [])
    if isinstance(raw, str) or not isinstance(raw, list | tuple):
        if oidc is not None:
            problems.append(f"[{OIDC_SECTION}] emails doit être une liste d'adresses.")
        raw = []
    for item in raw:
        if isinstance(item, str) and "@" in item.strip():
            emails.add(item.strip().lower())
        else:
            problems.append(f"[{OIDC_SECTION}] : « {item} » n'est pas une adresse électronique, ignorée.")
    return EditorConfig(accounts=accounts, oidc_emails=frozenset(emails), problems=tuple(problems))


def _has(mapping: Mapping[str, object], key: str) -> bool:
    try:
        return key in mapping
    except Exception:  # noqa: BLE001
        return False


def editor_accounts(secrets_mapping: Mapping[str, object] | None) -> dict[str, str]:
    """``[editeurs]`` as {login: hash}, keeping only entries whose value is a valid hash."""
    return read_editor_config(secrets_mapping).accounts


def oidc_editors(secrets_mapping: Mapping[str, object] | None) -> frozenset[str]:
    """``[editeurs_oidc] emails``, lower-cased: the identity-provider accounts allowed to edit."""
    return read_editor_config(secrets_mapping).oidc_emails
