"""The browser key cookie an editor's login is bound to (ui/browserkey.py, issue #18 finding 1)."""

from __future__ import annotations

from tests.asgi_support import run_coroutine
from ui.browserkey import COOKIE, BrowserKey, is_key, key_hash, new_key, request_key


def serve(scope: dict, content_type: bytes) -> list[tuple[bytes, bytes]]:
    """Headers the middleware sends for one request answered with ``content_type``."""
    sent: list[dict] = []

    async def app(_scope, _receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]})
        await send({"type": "http.response.body", "body": b""})

    async def receive() -> dict:
        return {"type": "http.request"}

    async def send(message) -> None:
        sent.append(message)

    run_coroutine(BrowserKey(app)({"type": "http", "path": "/", **scope}, receive, send))
    return list(sent[0]["headers"])


def cookies_set(headers: list[tuple[bytes, bytes]]) -> list[str]:
    return [v.decode() for k, v in headers if k == b"set-cookie"]


def test_a_page_without_key_gets_a_fresh_random_http_only_strict_key() -> None:
    first = cookies_set(serve({"headers": []}, b"text/html; charset=utf-8"))
    second = cookies_set(serve({"headers": []}, b"text/html"))
    assert len(first) == len(second) == 1
    name_value, *attributes = first[0].split("; ")
    assert name_value.startswith(f"{COOKIE}=") and is_key(name_value.split("=", 1)[1])
    assert attributes == ["Path=/", "HttpOnly", "SameSite=Strict"]
    assert first != second


def test_secure_over_https_directly_or_behind_a_proxy() -> None:
    assert cookies_set(serve({"headers": [], "scheme": "https"}, b"text/html"))[0].endswith("; Secure")
    proxied = serve({"headers": [(b"x-forwarded-proto", b"https")]}, b"text/html")
    assert cookies_set(proxied)[0].endswith("; Secure")


def test_a_browser_with_a_key_keeps_it_and_files_never_set_one() -> None:
    key = new_key()
    assert cookies_set(serve({"headers": [(b"cookie", f"a=1; {COOKIE}={key}".encode())]}, b"text/html")) == []
    assert cookies_set(serve({"headers": []}, b"application/javascript")) == []
    # A malformed key is replaced.
    assert len(cookies_set(serve({"headers": [(b"cookie", f"{COOKIE}=court".encode())]}, b"text/html"))) == 1


def test_request_key_and_hash() -> None:
    key = new_key()
    assert request_key([(b"Cookie", f"{COOKIE}={key}".encode())]) == key
    assert request_key([(b"cookie", b"other=1")]) is None
    assert key_hash(key) != key and len(key_hash(key)) == 64
