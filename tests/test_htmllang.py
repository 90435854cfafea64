"""The served app's pages say they are in French (ui/htmllang.py)."""

from __future__ import annotations

import gzip

from tests.asgi_support import run_coroutine
from ui.htmllang import DocumentLanguage, with_lang

SHELL = b'<!doctype html>\n<html lang="en">\n<head><title>x</title></head><body lang="en"></body></html>'


def test_with_lang_replaces_only_the_html_tags_attribute() -> None:
    out = with_lang(SHELL)
    assert b'<html lang="fr">' in out
    assert b'<body lang="en">' in out  # only the document's own tag
    assert with_lang(b"<html><body></body></html>") == b'<html lang="fr"><body></body></html>'
    assert with_lang(b"no html here") == b"no html here"


def _run(body: bytes, headers: list[tuple[bytes, bytes]], method: str = "GET") -> tuple[dict, bytes]:
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:], "more_body": False})

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "method": method, "path": "/carte"}
    run_coroutine(DocumentLanguage(app)(scope, receive, send))
    return sent[0], b"".join(m.get("body", b"") for m in sent[1:])


def test_middleware_rewrites_gzipped_and_plain_html_and_fixes_the_length() -> None:
    zipped = gzip.compress(SHELL)
    start, body = _run(zipped, [(b"content-type", b"text/html; charset=utf-8"), (b"content-encoding", b"gzip")])
    assert b'<html lang="fr">' in gzip.decompress(body)
    assert dict(start["headers"])[b"content-length"] == str(len(body)).encode()
    start, body = _run(SHELL, [(b"content-type", b"text/html"), (b"content-length", b"999")])
    assert body.startswith(b'<!doctype html>\n<html lang="fr">')
    assert dict(start["headers"])[b"content-length"] == str(len(body)).encode()


def test_middleware_leaves_other_responses_alone() -> None:
    script = b'var s = "<html lang=\\"en\\">";'
    _, body = _run(script, [(b"content-type", b"text/javascript")])
    assert body == script
    _, body = _run(SHELL, [(b"content-type", b"text/html")], method="POST")
    assert body == SHELL
