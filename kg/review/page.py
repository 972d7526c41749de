"""The review page: page.html with page.css and page.js inline (no request leaves it but its own calls).

The Content-Security-Policy runs only this script and this style (by their hashes), lets the page call
only its own server, and forbids frames, forms, base URLs and plugins. The session token travels in a
``<meta>`` element: a page of another site cannot read it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from functools import lru_cache
from importlib import resources

_MARKER = re.compile(r"<!--kg:(\w+)-->")


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    return resources.files("kg.review").joinpath(name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_page(token: str) -> tuple[str, str]:
    """The page for a session, and its Content-Security-Policy header."""
    script = re.sub(r"<(/?script|!--)", r"<\\\1", _asset("page.js"), flags=re.IGNORECASE)
    style = _asset("page.css")
    csp = (
        f"default-src 'none'; script-src {_hash(script)}; style-src {_hash(style)}; connect-src 'self'; "
        "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
    )
    parts = {"css": style, "js": script, "token": html.escape(token, quote=True)}
    return _MARKER.sub(lambda m: parts[m.group(1)], _asset("page.html")), csp
