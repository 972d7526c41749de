"""The WSGI application of ``kg review``: the page at ``/``, its JSON calls under ``/api/``.

Who may call it: only requests addressed to this machine (any other Host: 421, so a DNS-rebinding page
gets nothing), and every write carries the session's token (a header a page of another site can neither
read nor send without a CORS preflight, which is never answered). No CORS header is ever sent.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from kg.core.errors import KgError
from kg.core.hosts import is_loopback_host
from kg.review.files import ChangedOnDisk
from kg.review.page import render_page
from kg.review.session import Review

TOKEN_HEADER = "X-KG-Token"
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class _Request(Request):
    max_content_length = 4 << 20  # a decision is a few kilobytes; 413 past this
    max_form_memory_size = 1 << 20


class ReviewApp:
    """The review page and its calls, over one :class:`~kg.review.session.Review`.

    Args:
        review: The session (its sources folder and undo history).
        token: The session's token (a new random one when None); the page carries it, writes must send it.
    """

    def __init__(self, review: Review, token: str | None = None):
        self.review = review
        self.token = token or secrets.token_urlsafe(32)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = _Request(environ)
        try:
            response = self.dispatch(request)
        except HTTPException as exc:
            response = _json({"error": exc.description or exc.name}, exc.code or 500)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        host = request.headers.get("Host", "")
        if not is_loopback_host(host):
            return _json(
                {
                    "error": f"kg review answers only requests addressed to this machine, not to '{host}'. "
                    "Fix: open http://127.0.0.1:PORT/ or http://localhost:PORT/."
                },
                421,
            )
        if request.method in ("GET", "HEAD"):
            return self.read(request)
        if request.method != "POST":
            return _json({"error": f"{request.method} is not allowed."}, 405)
        refused = self.refuse_write(request)
        if refused:
            return _json({"error": refused}, 403)
        return self.write(request)

    def read(self, request: Request) -> Response:
        path = request.path
        try:
            if path == "/":
                page, csp = render_page(self.token)
                response = Response(page, mimetype="text/html")
                response.headers["Content-Security-Policy"] = csp
                return response
            if path == "/api/queue":
                return _json({"queue": self.review.queue()})
            if path == "/api/meta":
                return _json(self.review.meta())
            if path == "/api/article":
                return _json(self.review.article(request.args.get("slug", "")))
        except KgError as exc:
            return _problems(exc, 422)
        return _json({"error": f"no such page: {path}"}, 404)

    def refuse_write(self, request: Request) -> str | None:
        """Why a write is refused (no token, wrong token, another site's page), or None."""
        given = request.headers.get(TOKEN_HEADER, "")
        if not given or not secrets.compare_digest(given.encode(), self.token.encode()):
            return "this write carries no valid session token; only the review page of this session may write."
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.host}":
            return f"a page of {origin} may not write here."
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return "a page of another site may not write here."
        if request.mimetype != "application/json":
            return "a write is a JSON body (Content-Type: application/json)."
        return None

    def write(self, request: Request) -> Response:
        try:
            body = json.loads(request.get_data(as_text=True) or "{}")
        except ValueError:
            return _json({"error": "the body is not JSON."}, 400)
        if not isinstance(body, dict):
            return _json({"error": "the body must be a JSON object."}, 400)
        fields = body.get("fields") if isinstance(body.get("fields"), dict) else {}
        index = body.get("index", -1)
        if not isinstance(index, int) or isinstance(index, bool):
            return _json({"error": "'index' must be a whole number."}, 400)
        slug, base = str(body.get("slug", "")), str(body.get("base", ""))
        try:
            if request.path == "/api/decide":
                return _json(self.review.decide(slug, base, str(body.get("action", "")), index, fields))
            if request.path == "/api/actor":
                actors_base = str(body.get("actors_base", ""))
                action = str(body.get("action", ""))
                return _json(self.review.proposed(slug, base, actors_base, action, index, fields))
            if request.path == "/api/undo":
                return _json(self.review.undo())
        except ChangedOnDisk as exc:
            return _problems(exc, 409)
        except KgError as exc:
            return _problems(exc, 422)
        return _json({"error": f"no such call: {request.path}"}, 404)


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status, mimetype="application/json")


def _problems(exc: KgError, status: int) -> Response:
    return _json({"error": str(exc), "problems": [str(p) for p in exc.problems], "reload": status == 409}, status)
