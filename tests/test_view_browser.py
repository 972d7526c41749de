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

from kg.graph.build import build
from kg.query.run import load_graph
from kg.view.render import ViewOptions, build_view, write_view

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


EDGE_COLOURS = """() => {
  const data = JSON.parse(document.getElementById('kg-data').textContent);
  return Object.values(kgNetwork.body.edges).map(e => ({
    p: data.edges[e.id].p, color: e.options.color.color, inherit: e.options.color.inherit,
    opacity: e.options.color.opacity }));
}"""
LEGEND_COLOURS = """() => Object.fromEntries([...document.querySelectorAll('input[data-predicate]')].map(
  b => [b.dataset.predicate, b.parentElement.querySelector('.kg-line').style.borderTopColor]))"""


def _rgb(hex_colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)))


def _click_actor(loaded: Loaded, actor: str) -> None:
    x, y = loaded.js(
        f"""(() => {{ const p = kgNetwork.canvasToDOM(kgNetwork.getPositions(['{actor}'])['{actor}']),
        r = document.getElementById('kg-network').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }})()"""
    )
    loaded.page.mouse.click(x, y)


def test_every_edge_keeps_its_relation_colour_through_select_highlight_filter_and_show_all(
    browser, seed_graph, ontology, tmp_path
):
    """issue 12, item 13: after a click every edge took its source node's colour; Show all restored nothing."""
    from kg.view.style import relation_styles

    colours = {name: style.color for name, style in relation_styles(ontology).items()}
    loaded = Loaded(browser, write_view(seed_graph, tmp_path / "network.html").path)
    legend = loaded.js(LEGEND_COLOURS)
    assert legend == {p: _rgb(colours[p]) for p in {d["p"] for d in loaded.js(EDGE_COLOURS)}}
    start_details = loaded.js("document.getElementById('kg-details').innerHTML")

    def check(step: str, dimmed: bool = False) -> list[dict]:
        drawn = loaded.js(EDGE_COLOURS)
        wrong = [
            (d["p"], d["color"], d["inherit"]) for d in drawn if (d["color"], d["inherit"]) != (colours[d["p"]], False)
        ]
        assert wrong == [], f"{step}: edges drawn in another colour than their relation's"
        assert dimmed == any(d["opacity"] == 0.05 for d in drawn), step
        return drawn

    first = check("first draw")
    _click_actor(loaded, "umehl")
    assert loaded.js("document.querySelector('#kg-details h3').textContent").startswith("Union of Myanmar")
    near = [d for d in check("click on an actor", dimmed=True) if d["opacity"] != 0.05]
    assert sorted(d["p"] for d in near) == ["operates", "owns", "partnerOf"]
    loaded.page.fill("#kg-search", "junta")
    loaded.page.click("#kg-results button[data-id=junta]")
    check("search and highlight", dimmed=True)
    loaded.page.uncheck("input[data-predicate=opposes]")
    assert "opposes" not in {d["p"] for d in check("filter", dimmed=True)}
    loaded.page.click("#kg-reset")
    assert check("Show all") == first
    assert loaded.js("document.getElementById('kg-details').innerHTML") == start_details
    assert loaded.js(
        "[document.getElementById('kg-search').value, document.getElementById('kg-results').children.length]"
    ) == ["", 0]
    assert loaded.js("kgNetwork.getSelectedNodes().length") == 0
    assert loaded.problems == []
    loaded.page.close()


NODE_BOXES = """() => {
  const n = kgNetwork, canvas = n.canvas.frame.canvas, ids = n.body.nodeIndices.slice().sort();
  return { width: canvas.clientWidth, height: canvas.clientHeight, positions: n.getPositions(ids),
    boxes: Object.fromEntries(ids.map(id => { const b = n.getBoundingBox(id),
      a = n.canvasToDOM({x: b.left, y: b.top}), z = n.canvasToDOM({x: b.right, y: b.bottom});
      return [id, [a.x, a.y, z.x, z.y]]; })) };
}"""


@pytest.mark.parametrize("options", [ViewOptions(), ViewOptions(focus="UMEHL", depth=2)], ids=["seed", "focus"])
def test_no_node_hides_another_at_the_first_draw(browser, seed_graph, tmp_path, options):
    """issue 12, item 14: China lay under the UMEHL box, and a label was cut at the canvas's left edge."""
    path = write_view(seed_graph, tmp_path / "network.html", options).path
    drawn = []
    for _ in range(2):
        loaded = Loaded(browser, path)
        drawn.append(loaded.js(NODE_BOXES))
        loaded.page.close()
    assert drawn[0] == drawn[1], "the same page draws the same layout (seeded)"
    boxes = drawn[0]["boxes"]
    assert len(boxes) == len(build_view(seed_graph, options).nodes)
    ids = sorted(boxes)
    hidden = [
        (a, b)
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
        if boxes[a][0] < boxes[b][2]
        and boxes[b][0] < boxes[a][2]
        and boxes[a][1] < boxes[b][3]
        and boxes[b][1] < boxes[a][3]
    ]
    assert hidden == [], "boxes (shape and label) that overlap"
    width, height = drawn[0]["width"], drawn[0]["height"]
    cut = [n for n, (x0, y0, x1, y1) in boxes.items() if x0 < 0 or y0 < 0 or x1 > width or y1 > height]
    assert cut == [], "boxes not wholly inside the canvas"
