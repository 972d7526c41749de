"""kg serve from a real browser: a page of another origin queries the endpoint as Yasgui does.

Headless Chromium (see test_view_browser.py: skipped outside CI when missing, failed in CI) loads a page
from a second local server, on another port (another origin), whose script POSTs SPARQL to kg serve. The
browser hands the page the answer only when ``kg serve --cors`` names that origin.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator

import pytest
from conftest import serving
from test_view_browser import browser  # noqa: F401  (the fixture)

CONSTRUCT = "CONSTRUCT WHERE { ?s kg:owns ?o }"
QUERY = "SELECT ?owner ?owned WHERE { ?o kg:owns ?d . ?o rdfs:label ?owner . ?d rdfs:label ?owned } ORDER BY ?owner"
# What the page runs: the requests Yasgui 4.2 sends (a form POST, or a GET, with its Accept headers; a graph
# asked for as N-Triples), and a sparql-query body (which needs a preflight).
SCRIPT = """async (endpoint) => {
  const results = {};
  const rowsAccept = "application/sparql-results+json,*/*;q=0.9";
  const form = { "Content-Type": "application/x-www-form-urlencoded", "Accept": rowsAccept };
  const attempts = {
    form: { url: endpoint, method: "POST", headers: form, body: new URLSearchParams({ query: QUERY }).toString() },
    get: { url: endpoint + "?" + new URLSearchParams({ query: QUERY }), method: "GET",
           headers: { "Accept": rowsAccept } },
    body: { url: endpoint, method: "POST", body: QUERY,
            headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" } },
    graph: { url: endpoint, method: "POST", body: new URLSearchParams({ query: CONSTRUCT }).toString(),
             headers: { ...form, "Accept": "application/n-triples,*/*;q=0.9" } },
  };
  for (const [name, { url, ...options }] of Object.entries(attempts)) {
    try {
      const response = await fetch(url, options);
      if (name === "graph") {
        results[name] = [response.headers.get("Content-Type"), (await response.text()).trim()];
      } else {
        const data = await response.json();
        results[name] = data.results.bindings.map((row) => [row.owner.value, row.owned.value]);
      }
    } catch (error) {
      results[name] = "blocked: " + error.name;
    }
  }
  return results;
}""".replace("QUERY", json.dumps(QUERY)).replace("CONSTRUCT", json.dumps(CONSTRUCT))


@pytest.fixture(scope="module")
def graph_folder(seed_output, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-browser")
    shutil.copy(seed_output / "graph.trig", folder / "graph.trig")
    return folder


@pytest.fixture(scope="module")
def page_origin(tmp_path_factory) -> Iterator[str]:
    """A plain web server of another origin, serving an empty page."""
    root = tmp_path_factory.mktemp("origin")
    (root / "index.html").write_text("<!DOCTYPE html><title>another origin</title>\n")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    origin_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=origin_server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{origin_server.server_port}"
    origin_server.shutdown()
    origin_server.server_close()


def run_page(context, origin: str, endpoint: str) -> dict:
    page = context.new_page()
    try:
        page.goto(f"{origin}/index.html")
        return dict(page.evaluate(SCRIPT, endpoint))
    finally:
        page.close()


def test_a_named_origin_reads_the_endpoint_from_a_browser(browser, graph_folder, page_origin):  # noqa: F811
    with serving(graph_folder, timeout=5, workers=1, cors=[page_origin]) as running:
        results = run_page(browser, page_origin, running.url)
    expected = [["Myanmar military junta", "Union of Myanmar Economic Holdings Ltd"]]
    triple = "<https://w3id.org/kg/id/junta> <https://w3id.org/kg/ontology#owns> <https://w3id.org/kg/id/umehl> ."
    graph = ["application/n-triples; charset=utf-8", triple]
    assert results == {"form": expected, "get": expected, "body": expected, "graph": graph}


def test_another_origin_is_kept_from_the_answer(browser, graph_folder, page_origin):  # noqa: F811
    with serving(graph_folder, timeout=5, workers=1, cors=["https://yasgui.triply.cc"]) as running:
        results = run_page(browser, page_origin, running.url)
    assert set(results.values()) == {"blocked: TypeError"}
    assert len(results) == 4
