"""Security headers on every answer (issue 16): a Content-Security-Policy that allows only this site's own scripts,
styles, images and fonts (inline handlers stay allowed: the pages use a few; the diagram editors also need
`eval`, which dmn-js uses, on their own pages only), no framing by other sites, no referrer beyond this site, no
content sniffing."""

from __future__ import annotations

from flask import Flask, Response, request

POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'{eval}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
          "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
EDITOR_PATHS = ("/admin/definitions",)  # bpmn-js and dmn-js pages


def _secure(response: Response) -> Response:
    editor = request.path.startswith(EDITOR_PATHS)
    response.headers.setdefault("Content-Security-Policy", POLICY.format(eval=" 'unsafe-eval'" if editor else ""))
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def register(app: Flask) -> None:
    app.after_request(_secure)
