"""A secret each browser holds, so that an editor's login belongs to the browser that logged in.

Streamlit gives a session back to any client that opens its websocket with the session's id, and
that id appears in upload addresses, so in proxy logs. The served app (``serve.py``) therefore gives
every browser a random key in an ``HttpOnly``, ``SameSite=Strict`` cookie (``Secure`` over HTTPS)
with its first page; the browser sends it back on the websocket, where the page scripts read it
(``st.context.cookies``). A login keeps only the key's hash, and every write checks that the
current connection carries the same key (``ui.auth``): a client that resumes the session id from
elsewhere has no key, or another one, and is no editor.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from http.cookies import SimpleCookie

from ui.headers import ResponseHeaders, Rewrite, Scope

COOKIE = "erbm_cle"
_VALID = re.compile(r"[A-Za-z0-9_-]{43}")


def new_key() -> str:
    """32 random bytes, URL-safe base64 without padding (43 characters)."""
    return secrets.token_urlsafe(32)


def is_key(value: object) -> bool:
    return isinstance(value, str) and _VALID.fullmatch(value) is not None


def key_hash(value: str) -> str:
    """What a session keeps of the key: its SHA-256, never the key itself."""
    return hashlib.sha256(value.encode("ascii")).hexdigest()


def request_key(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The browser key among a request's ``Cookie`` headers, when it has a well-formed one."""
    for name, value in headers:
        if name.lower() != b"cookie":
            continue
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(value.decode("latin-1"))
        except Exception:  # noqa: BLE001 - a malformed cookie header is as good as none
            continue
        morsel = jar.get(COOKIE)
        if morsel is not None and is_key(morsel.value):
            return morsel.value
    return None


def is_https(scope: Scope) -> bool:
    """The browser reached us over HTTPS, directly or through a proxy that says so."""
    if scope.get("scheme") == "https":
        return True
    for name, value in scope.get("headers", []):
        if name.lower() == b"x-forwarded-proto":
            return value.decode("latin-1").split(",")[0].strip().lower() == "https"
    return False


def set_cookie_header(key: str, *, secure: bool) -> tuple[bytes, bytes]:
    attributes = f"{COOKIE}={key}; Path=/; HttpOnly; SameSite=Strict"
    if secure:
        attributes += "; Secure"
    return b"set-cookie", attributes.encode("ascii")


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.lower().startswith(b"text/html") for k, v in headers)


class BrowserKey(ResponseHeaders):
    """Adds the key cookie to every HTML page sent to a browser that has no key yet."""

    def rewrite(self, scope: Scope) -> Rewrite | None:
        if request_key(list(scope.get("headers", []))) is not None:
            return None
        secure = is_https(scope)

        def add_key(_status: int, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
            if not _is_html(headers):
                return headers
            return [*headers, set_cookie_header(new_key(), secure=secure)]

        return add_key
