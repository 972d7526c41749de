"""``kg review``'s HTTP server: werkzeug on a loopback address, one thread per request."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from kg.core.errors import KgError
from kg.core.hosts import is_loopback_host
from kg.review.app import ReviewApp
from kg.review.session import Review


class _Quiet(WSGIRequestHandler):
    timeout = 60.0

    def log(self, type: str, message: str, *args: Any) -> None:
        if type == "error":
            super().log(type, message, *args)


class ReviewServer:
    """The review page of a sources folder, served on this machine only.

    Args:
        sources: The sources folder.
        host: A loopback address (another is refused: the page writes the sources).
        port: The port (0: any free one; see :attr:`url`).
        ontology: An ontology folder, when not the one shipped with kg.
        token: The session token (random when None).
    """

    def __init__(
        self,
        sources: str | Path = "sources",
        host: str = "127.0.0.1",
        port: int = 8001,
        ontology: str | Path | None = None,
        token: str | None = None,
    ):
        if not is_loopback_host(host):
            raise KgError(f"kg review serves on this machine only, not on '{host}'. Fix: use --host 127.0.0.1 or ::1.")
        self.app = ReviewApp(Review(sources, ontology), token)
        self.http: BaseWSGIServer = make_server(host, port, self.app, threaded=True, request_handler=_Quiet)
        self.port = self.http.server_port
        self.url = f"http://{host if ':' not in host else f'[{host}]'}:{self.port}/"

    def serve_forever(self) -> None:
        """Answer until :meth:`shutdown` or Ctrl-C."""
        self.http.serve_forever()

    def shutdown(self) -> None:
        """Stop answering (from another thread)."""
        self.http.shutdown()
        self.http.server_close()

    def start(self) -> threading.Thread:
        """Serve in a daemon thread (for tests and benchmarks); stop with :meth:`shutdown`."""
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread
