"""kg viz in a real browser: headless Chromium loads the page from file:// (issue 3).

Needs Debian's chromium (/usr/bin/chromium, or KG_CHROMIUM) and playwright for Python; .ci/run
installs both. Outside CI the tests are skipped when either is missing; in CI they fail.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_view import HOSTILE_NAME, HOSTILE_QUOTE, _hostile_sources

from kg.build import build
from kg.query import load_graph
from kg.view import ViewOptions, build_view, write_view

CHROMIUM = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (the browser test must run in CI: see .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed")
    if not Path(CHROMIUM).is_file():
        _missing(f"no Chromium at {CHROMIUM}")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, viewport={"width": 1400, "height": 900}
        )
        yield context
        context.close()


class Loaded:
    """A page loaded from file://, with every request and console message it made."""

    def __init__(self, context, path: Path):
        self.page = context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(m.text))
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready]", timeout=60_000)

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def drawn(self) -> tuple[int, int]:
        return tuple(self.js("[kgNetwork.body.nodeIndices.length, kgNetwork.body.edgeIndices.length]"))


def test_the_seed_page_draws_every_actor_and_relation_offline(browser, seed_graph, tmp_path):
    path = write_view(seed_graph, tmp_path / "network.html").path
    view = build_view(seed_graph)
    loaded = Loaded(browser, path)
    assert loaded.drawn() == (len(view.nodes), len(view.edges)) == (23, 32)
    assert loaded.requests == [loaded.url], "no request leaves the page"
    assert loaded.problems == []
    assert loaded.js("document.getElementById('kg-status').textContent").startswith(
        "Showing 23 of 23 actors, 32 of 32 relations."
    )
    # search by alias
    loaded.page.fill("#kg-search", "mehl")
    assert loaded.js("[...document.querySelectorAll('#kg-results button')].map(b => b.dataset.id)") == ["umehl"]
    loaded.page.click("#kg-results button")
    assert loaded.js("document.querySelector('#kg-details h3').textContent") == "Union of Myanmar Economic Holdings Ltd"
    # a filter hides edges: unticking 'opposes' removes exactly its edges
    opposes = sum(1 for e in view.edges if e.predicate == "opposes")
    loaded.page.uncheck("input[data-predicate=opposes]")
    assert loaded.drawn() == (23, 32 - opposes)
    loaded.page.uncheck("input[data-class=Place]")
    places = {n.id for n in view.nodes if n.cls == "Place"}
    assert loaded.drawn()[0] == 23 - len(places)
    loaded.page.click("#kg-reset")
    assert loaded.drawn() == (23, 32)
    # a period with no claim hides every edge
    loaded.page.fill("#kg-until", "2000-01-01")
    loaded.js("document.getElementById('kg-until').dispatchEvent(new Event('change'))")
    assert loaded.drawn() == (23, 0)
    # physics toggles
    before = loaded.js("document.getElementById('kg-physics').getAttribute('aria-pressed')")
    loaded.page.click("#kg-physics")
    assert loaded.js("document.getElementById('kg-physics').getAttribute('aria-pressed')") != before
    assert loaded.requests == [loaded.url] and loaded.problems == []
    loaded.page.close()


def test_hostile_labels_and_quotes_show_as_text(browser, tiny, tmp_path):
    out = tmp_path / "out"
    build(_hostile_sources(tiny), out)
    graph = load_graph(out)
    path = write_view(graph, tmp_path / "hostile.html").path
    loaded = Loaded(browser, path)
    view = build_view(graph)
    assert loaded.drawn() == (len(view.nodes), len(view.edges))
    loaded.page.fill("#kg-search", "night owls")
    loaded.page.click("#kg-results button[data-id=hostile]")
    assert loaded.js("document.querySelector('#kg-details h3').textContent") == HOSTILE_NAME
    loaded.page.click("#kg-details li button")
    assert loaded.js("document.querySelector('#kg-details blockquote').textContent") == f"\u201c{HOSTILE_QUOTE}\u201d"
    links = loaded.js("[...document.querySelectorAll('#kg-details a')].map(a => a.getAttribute('href'))")
    assert links == ["https://example.org/a?b='x'&c=1"]
    assert loaded.js("document.querySelectorAll('img, svg, iframe').length") == 0
    assert loaded.js("typeof window.kgPwned") == "undefined", "no script from the sources ran"
    assert loaded.js("document.title").startswith("kg network:")
    assert loaded.requests == [loaded.url] and loaded.problems == []
    loaded.page.close()


def test_a_focused_view_draws_only_the_neighbourhood(browser, seed_graph, tmp_path):
    path = write_view(seed_graph, tmp_path / "focus.html", ViewOptions(focus="UMEHL", depth=1)).path
    loaded = Loaded(browser, path)
    view = build_view(seed_graph, ViewOptions(focus="UMEHL", depth=1))
    assert loaded.drawn() == (len(view.nodes), len(view.edges))
    assert "around Union of Myanmar Economic Holdings Ltd (depth 1)" in loaded.js(
        "document.getElementById('kg-status').textContent"
    )
    loaded.page.close()
