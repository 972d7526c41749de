"""kg review in a real browser (issue 15): headless Chromium drives the page by keyboard, as a person would.

Needs Debian's chromium and playwright (see test_view_browser.py: skipped outside CI when missing, failed
in CI). The server runs in a thread on a free port of 127.0.0.1, over a copy of the sources.
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from conftest import SEED, SEED_SLUG, TINY, write_article, write_yaml
from test_review import OWN, OWN_DRAFT, OWN_TEXT
from test_serve_browser import page_origin  # noqa: F401  (the fixture)
from test_view import HOSTILE_ALIAS, HOSTILE_NAME, HOSTILE_QUOTE
from test_view_browser import browser  # noqa: F401  (the fixture)

from kg.extract import extract
from kg.graph.build import build
from kg.review.server import ReviewServer

ADDED = "troops sent to guard the mine clashed with local defence forces"


@pytest.fixture()
def review_server() -> Iterator[Callable[[Path], ReviewServer]]:
    def start(root: Path) -> ReviewServer:
        server = ReviewServer(root, port=0)
        server.start()
        started.append(server)
        return server

    started: list[ReviewServer] = []
    yield start
    for server in started:
        server.shutdown()


def _drafted(tmp_path: Path) -> Path:
    root = tmp_path / "sources"
    shutil.copytree(SEED, root)
    (root / "claims" / f"{SEED_SLUG}.yaml").unlink()
    extract([root / "articles"], root)
    return root


class Page:
    """The review page open in a tab, with every console problem and request it made."""

    def __init__(self, context, url: str):
        self.page = context.new_page()
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready]", timeout=30_000)

    def key(self, key: str, call: str | None = "/api/decide") -> None:
        """Press a key; wait for the call it makes and for the page to draw its answer."""
        if call is None:
            self.page.keyboard.press(key)
            return
        with self.page.expect_response(lambda r: call in r.url) as answer:
            self.page.keyboard.press(key)
        answer.value.finished()
        self.page.wait_for_timeout(50)

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def statuses(self) -> list[str]:
        return self.js(
            "[...document.querySelectorAll('#claims > li.claim')].map(li => li.querySelector('.badge').textContent)"
        )

    def message(self) -> str:
        return self.js(
            "document.getElementById('message').hidden ? '' : document.getElementById('message-text').textContent"
        )

    def select(self, passage: str) -> None:
        """Select a passage of the article text (as a mouse drag or shift-arrows would)."""
        self.js(
            """(passage) => {
              const box = document.getElementById('text');
              const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
              const nodes = []; let all = '';
              while (walker.nextNode()) {
                nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data;
              }
              const at = all.indexOf(passage), end = at + passage.length;
              const place = (offset) => {
                for (let i = nodes.length - 1; i >= 0; i--) {
                  if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
                }
              };
              const range = document.createRange();
              range.setStart(...place(at)); range.setEnd(...place(end));
              getSelection().removeAllRanges(); getSelection().addRange(range);
            }""".replace("(passage) => {", "(() => { const passage = " + json.dumps(passage) + ";")
            + ")()"
        )


def test_the_seed_drafts_reviewed_by_keyboard_alone_then_built(browser, review_server, tmp_path):  # noqa: F811
    root = _drafted(tmp_path)
    path = root / "claims" / f"{SEED_SLUG}.yaml"
    server = review_server(root)
    page = Page(browser, server.url)
    assert page.js("document.body.dataset.slug") == SEED_SLUG
    count = len(page.statuses())
    page.key("a")  # accept the first claim
    page.key("r")  # reject the next
    assert page.statuses()[:2] == ["accepted", "rejected"]
    page.key("e", None)  # edit the third: subject, relation, object, quote, date, claimant, confidence
    for _ in range(6):
        page.page.keyboard.press("Tab")
    page.page.keyboard.press("Control+A")
    page.page.keyboard.type("0.42")
    page.key("Enter")
    assert page.statuses()[2] == "accepted" and "  confidence: 0.42\n  rule:" in path.read_text(encoding="utf-8")
    page.key("u", "/api/undo")  # undo the fix
    page.page.wait_for_function("document.querySelectorAll('#claims .badge')[2].textContent === 'pending'")
    assert "confidence: 0.42" not in path.read_text(encoding="utf-8")
    page.select(ADDED)  # a claim extraction missed, from the selected text
    page.key("n", None)
    page.page.keyboard.type("junta")
    page.page.keyboard.press("Tab")
    page.page.keyboard.type("clashed")  # a select takes the option whose label starts so
    page.page.keyboard.press("Tab")
    page.page.keyboard.type("local-defence-forces")
    page.key("Enter")
    assert len(page.statuses()) == count + 1 and page.statuses()[-1] == "accepted"
    assert f"  quote: {ADDED}\n  status: accepted\n" in path.read_text(encoding="utf-8")
    page.key("k", None)  # back to the first undecided ones: j/k walk, a/r decide
    for _ in range(3 * count):
        if "pending" not in page.statuses():
            break
        page.js("document.activeElement && document.activeElement.blur()")
        cur = int(page.js("document.body.dataset.cur"))
        if page.statuses()[cur] != "pending":
            page.key("j" if "pending" in page.statuses()[cur:] else "k", None)
            continue
        page.key("a")
        if page.message():  # kg build would refuse this draft as it stands: reject it
            page.key("r")
    assert "pending" not in page.statuses()
    page.key("d")
    assert page.js("document.getElementById('meta').textContent").endswith("review: reviewed")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Draft claims of ") and "\nreview: reviewed\n" in text
    assert "status: rejected" in text
    build(root, tmp_path / "out")
    assert page.problems == []
    assert all(r.startswith(server.url) for r in page.requests), "no request leaves this machine"


def test_the_page_of_another_site_cannot_post_a_decision(browser, review_server, page_origin, tmp_path):  # noqa: F811
    root = tmp_path / "own"
    shutil.copytree(SEED, root)
    write_article(root / "articles" / f"{OWN}.md", OWN_TEXT)
    path = root / "claims" / f"{OWN}.yaml"
    path.write_text(OWN_DRAFT, encoding="utf-8")
    server = review_server(root)
    hash_ = json.loads(urllib.request.urlopen(f"{server.url}api/article?slug={OWN}").read())["hash"]
    refusals: list[str | None] = []
    check = server.app.refuse_write
    server.app.refuse_write = lambda request: refusals.append(check(request)) or refusals[-1]  # type: ignore[method-assign]
    attacker = browser.new_page()
    attacker.goto(page_origin + "/index.html")
    body = json.dumps({"slug": OWN, "base": hash_, "action": "reject", "index": 1})
    results = attacker.evaluate(
        """async ([url, body]) => {
          const out = {};
          const tries = {
            json: { method: "POST", body, headers: { "Content-Type": "application/json", "X-KG-Token": "guess" } },
            simple: { method: "POST", body, mode: "no-cors", headers: { "Content-Type": "text/plain" } },
            form: { method: "POST", body: new URLSearchParams({ data: body }), mode: "no-cors" },
          };
          for (const [name, options] of Object.entries(tries)) {
            try { const r = await fetch(url, options); out[name] = r.type + " " + r.status; }
            catch (error) { out[name] = "blocked: " + error.name; }
          }
          return out;
        }""",
        [server.url + "api/decide", body],
    )
    assert results["json"] == "blocked: TypeError", "the token header needs a preflight, which is never answered"
    assert (
        refusals == ["this write carries no valid session token; only the review page of this session may write."] * 2
    ), "the simple posts reached the server, which refused them (the browser hides the answer: CORP)"
    assert path.read_text(encoding="utf-8") == OWN_DRAFT, "nothing was written"


def test_hostile_text_in_an_article_a_name_and_a_quote_is_shown_as_text(browser, review_server, tmp_path):  # noqa: F811
    root = tmp_path / "tiny"
    shutil.copytree(TINY, root)
    registry = yaml.safe_load((root / "actors.yaml").read_text(encoding="utf-8"))
    registry["actors"].append({"id": "hostile", "name": HOSTILE_NAME, "type": "ArmedGroup", "aliases": [HOSTILE_ALIAS]})
    write_yaml(root / "actors.yaml", registry)
    body = f"The {HOSTILE_NAME} opposes the army. They wrote {HOSTILE_QUOTE} on the quarry wall."
    write_article(root / "articles" / "hostile.md", body, title=HOSTILE_QUOTE)
    state = next(a["id"] for a in registry["actors"] if a["type"] == "StateForce")
    draft = {"review": "pending", "claims": [{"subject": "hostile", "predicate": "opposes", "object": state,
                                              "quote": HOSTILE_QUOTE, "claimant": HOSTILE_NAME, "note": HOSTILE_ALIAS}],
             "proposed_actors": [{"name": HOSTILE_ALIAS, "type": "Group", "sentence": HOSTILE_QUOTE}]}  # fmt: skip
    write_yaml(root / "claims" / "hostile.yaml", draft)
    server = review_server(root)
    page = Page(browser, server.url + "?article=hostile")
    assert page.js("document.body.dataset.slug") == "hostile"
    assert page.js("window.kgPwned") is None
    assert page.js("document.querySelectorAll('img, svg, #text script, #claims script').length") == 0
    assert page.js("document.getElementById('title').textContent") == HOSTILE_QUOTE
    assert HOSTILE_NAME in page.js("document.getElementById('text').textContent")
    card = page.js("document.querySelector('#claims li').textContent")
    assert HOSTILE_NAME in card and HOSTILE_QUOTE in card and HOSTILE_ALIAS in card
    assert HOSTILE_ALIAS in page.js("document.getElementById('proposed').textContent")
    assert page.problems == []
