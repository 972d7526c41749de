"""kg review, the library and its HTTP calls (issue 15): decisions written at once, checked as kg build checks.

The seed's drafts come from ``kg extract`` on a copy of sources/ with the reviewed claims file moved aside;
a self-written article comes with a hand-written draft (comments, a proposed actor) so that what is
asserted does not move with the extraction rules.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SEED, SEED_SLUG, write_article
from werkzeug.test import Client

from kg.core.errors import SourceError
from kg.extract import extract
from kg.graph.build import build
from kg.query.run import load_graph
from kg.review import ChangedOnDisk, Review
from kg.review.app import TOKEN_HEADER, ReviewApp

OWN = "valley-militia"
OWN_TEXT = (
    "The Golden Eagle Militia, a pro-junta group, attacked Moe Gyo Pyin on Monday, residents said.\n\n"
    "The junta funds the Golden Eagle Militia, according to the One Star Task Force."
)
OWN_DRAFT = """\
# A hand-written draft: this comment must survive every decision.
article: valley-militia
review: pending  # set by kg review
claims:
# --- the attack ---
- subject: new-golden-eagle-militia
  predicate: attacked
  object: moe-gyo-pyin
  quote: The Golden Eagle Militia, a pro-junta group, attacked Moe Gyo Pyin
  date: '2023-03-13'
  confidence: 0.75
  rule: attack-verb
- subject: junta
  predicate: attacked   # wrong: the militia attacked
  object: moe-gyo-pyin
  quote: junta group, attacked Moe Gyo Pyin
  rule: attacked-active
# --- who pays ---
- subject: junta
  predicate: funds
  object: new-golden-eagle-militia
  quote: The junta funds the Golden Eagle Militia
  claimant: One Star Task Force
  confidence: 0.8
  rule: funds-active
proposed_actors:
- id: new-golden-eagle-militia
  name: Golden Eagle Militia
  type: ArmedGroup
  sentence: The Golden Eagle Militia, a pro-junta group, attacked Moe Gyo Pyin on Monday, residents said.
"""


@pytest.fixture(scope="module")
def drafted(tmp_path_factory) -> Path:
    """The seed with its reviewed claims moved aside and drafted again by kg extract."""
    root = tmp_path_factory.mktemp("drafted") / "sources"
    shutil.copytree(SEED, root)
    (root / "claims" / f"{SEED_SLUG}.yaml").unlink()
    extract([root / "articles"], root)
    return root


@pytest.fixture()
def seed(drafted, tmp_path) -> Path:
    root = tmp_path / "sources"
    shutil.copytree(drafted, root)
    return root


@pytest.fixture()
def own(tmp_path) -> Path:
    root = tmp_path / "own"
    shutil.copytree(SEED, root)
    write_article(root / "articles" / f"{OWN}.md", OWN_TEXT, title="Militia torches village near the mine")
    (root / "claims" / f"{OWN}.yaml").write_text(OWN_DRAFT, encoding="utf-8")
    return root


def _claims(root: Path, slug: str) -> str:
    return (root / "claims" / f"{slug}.yaml").read_text(encoding="utf-8")


def _decide_all(review: Review, slug: str, action: str = "accept") -> dict:
    view = review.article(slug)
    for claim in view["claims"]:
        if not claim["status"]:
            try:
                view = review.decide(slug, view["hash"], action, claim["n"])
            except SourceError:  # a draft kg build would refuse as it stands: rejected
                view = review.decide(slug, view["hash"], "reject", claim["n"])
    return view


def test_the_queue_lists_pending_drafts_first_with_counts(seed):
    (seed / "articles" / "zz-no-claims.md").write_text(
        "---\ntitle: Later\noutlet: Other Outlet\npublished: 2020-01-01\n---\nText.\n", encoding="utf-8"
    )
    queue = Review(seed).queue()
    assert [a["slug"] for a in queue] == [SEED_SLUG, "zz-no-claims"]
    first = queue[0]
    assert first["review"] == "pending" and first["pending"] > 20 and first["accepted"] == first["rejected"] == 0
    assert (first["outlet"], first["published"]) == ("Myanmar Now", "2022-06-22/2022-12-31")
    assert queue[1]["review"] == "none"


def test_the_article_view_places_every_quote_in_the_text(seed):
    view = Review(seed).article(SEED_SLUG)
    assert view["review"] == "pending" and view["claims"]
    for claim in view["claims"]:
        start, end = claim["at"]
        assert view["text"][start:end].replace("’", "'") == claim["quote"].replace("’", "'")


def test_accept_reject_fix_add_on_the_seed_drafts_then_kg_build_accepts_them(seed, tmp_path):
    review = Review(seed)
    view = review.article(SEED_SLUG)
    before = _claims(seed, SEED_SLUG)
    view = review.decide(SEED_SLUG, view["hash"], "accept", 0)
    view = review.decide(SEED_SLUG, view["hash"], "reject", 1)
    fixed = {**view["claims"][2], "confidence": "0.55", "note": "Checked: see the headline. # not a comment"}
    view = review.decide(SEED_SLUG, view["hash"], "fix", 2, fixed)
    quote = "troops sent to guard the mine clashed with local defence forces"
    added = {"subject": "junta", "predicate": "clashedWith", "object": "local-defence-forces", "quote": quote}
    view = review.decide(SEED_SLUG, view["hash"], "add", fields={**added, "date": "2022-05", "disputed": True})
    statuses = [c["status"] for c in view["claims"]]
    assert statuses[:3] == ["accepted", "rejected", "accepted"] and statuses[-1] == "accepted"
    text = _claims(seed, SEED_SLUG)
    assert text.startswith(before.split("claims:\n")[0]), "the header comments and fields are kept"
    assert "confidence: 0.55\n" in text and "note: 'Checked: see the headline. # not a comment'\n" in text
    assert text.split("mentioned_actors:\n")[0].endswith(  # the added claim ends the claims
        f"- subject: junta\n  predicate: clashedWith\n  object: local-defence-forces\n  quote: {quote}\n"
        "  date: 2022-05\n  disputed: true\n  status: accepted\n"
    )
    view = _decide_all(review, SEED_SLUG)
    view = review.decide(SEED_SLUG, view["hash"], "done")
    assert view["review"] == "reviewed" and "\nreview: reviewed\n" in _claims(seed, SEED_SLUG)
    result = build(seed, tmp_path / "out")
    assert result.claims >= len([c for c in view["claims"] if c["status"] == "accepted"]) - 5  # repeats count once
    graph = load_graph(tmp_path / "out")
    rows = graph.query(
        "SELECT ?m WHERE { ?c rdf:subject id:junta ; rdf:predicate kg:clashedWith ; kg:quote ?q ; kg:method ?m "
        f'FILTER(STR(?q) = "{quote}") }}'
    )
    assert {str(r[0]).rsplit("#", 1)[-1] for r in rows} == {"HumanReview"}


def test_a_rejected_draft_is_kept_and_not_proposed_again(seed):
    review = Review(seed)
    view = review.article(SEED_SLUG)
    rejected = view["claims"][0]
    view = review.decide(SEED_SLUG, view["hash"], "reject", 0)
    view = _decide_all(review, SEED_SLUG)
    review.decide(SEED_SLUG, view["hash"], "done")
    (outcome,) = extract([seed / "articles"], seed)
    assert outcome.reviewed and not outcome.written
    assert (rejected["subject"], rejected["predicate"], rejected["object"]) not in outcome.new
    assert "status: rejected" in _claims(seed, SEED_SLUG)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quote": "words the article never says"}, "the quote is not in "),
        ({"subject": "no-such-actor"}, "unknown actor id 'no-such-actor' as subject."),
        ({"subject": "letpadaung-mine", "predicate": "leads"}, "'leads' needs a person as its subject (rdfs:domain"),
        ({"date": "2022-13-45"}, "'2022-13-45' is not a valid date"),
        ({"confidence": "1.5"}, "confidence 1.5 is not a number from 0 to 1."),
    ],
)
def test_a_fix_kg_build_would_refuse_is_refused_with_its_message(own, fields, message):
    review = Review(own)
    view = review.article(OWN)
    before = _claims(own, OWN)
    with pytest.raises(SourceError) as caught:
        review.decide(OWN, view["hash"], "fix", 1, {**view["claims"][1], **fields})
    assert message in str(caught.value)
    assert f"claims/{OWN}.yaml:" in str(caught.value), "with the file and the line, as kg build says it"
    assert _claims(own, OWN) == before


def test_the_line_of_a_problem_is_the_line_in_the_real_file(own):
    review = Review(own)
    view = review.article(OWN)
    with pytest.raises(SourceError) as caught:
        review.decide(OWN, view["hash"], "fix", 2, {**view["claims"][2], "date": "someday"})
    assert f"{OWN}.yaml:21: unknown actor id 'new-golden-eagle-militia' as object." in str(caught.value)
    assert f"{OWN}.yaml:26: 'someday' is not a valid date" in str(caught.value)  # where the new field will be


def test_a_change_on_disk_since_the_page_loaded_is_never_overwritten(own):
    review = Review(own)
    view = review.article(OWN)
    path = own / "claims" / f"{OWN}.yaml"
    path.write_text(OWN_DRAFT.replace("confidence: 0.8", "confidence: 0.6"), encoding="utf-8")
    with pytest.raises(ChangedOnDisk, match="changed on disk since this page loaded it"):
        review.decide(OWN, view["hash"], "accept", 1)
    assert "confidence: 0.6" in _claims(own, OWN)
    fresh = review.article(OWN)  # the reload the page offers
    assert review.decide(OWN, fresh["hash"], "accept", 1)["claims"][1]["status"] == "accepted"


def test_undo_restores_the_file_byte_for_byte_and_refuses_after_a_change_on_disk(own):
    review = Review(own)
    view = review.article(OWN)
    view = review.decide(OWN, view["hash"], "reject", 0)
    view = review.decide(OWN, view["hash"], "accept", 1)
    assert review.undo() == {"slug": OWN, "undone": "accepted claim 2"}
    assert review.undo() == {"slug": OWN, "undone": "rejected claim 1"}
    assert _claims(own, OWN) == OWN_DRAFT
    view = review.decide(OWN, review.article(OWN)["hash"], "accept", 1)
    (own / "claims" / f"{OWN}.yaml").write_text(OWN_DRAFT + "# an editor's line\n", encoding="utf-8")
    with pytest.raises(ChangedOnDisk):
        review.undo()
    with pytest.raises(SourceError, match="nothing to undo"):
        Review(own).undo()


def test_done_is_refused_while_claims_are_undecided_or_proposed_actors_are_used(own):
    review = Review(own)
    view = review.article(OWN)
    with pytest.raises(SourceError, match="3 claims not decided yet"):
        review.decide(OWN, view["hash"], "done")
    with pytest.raises(SourceError, match="unknown actor id 'new-golden-eagle-militia'"):
        review.decide(OWN, view["hash"], "accept", 0)  # a proposed actor must be added first


def test_a_proposed_actor_added_to_the_registry_and_its_claims_follow(own, tmp_path):
    review = Review(own)
    actors_before = (own / "actors.yaml").read_text(encoding="utf-8")
    view = review.article(OWN)
    fields = {"id": "golden-eagle-militia", "name": "Golden Eagle Militia", "type": "ArmedGroup", "aliases": "GEM"}
    view = review.proposed(OWN, view["hash"], review.meta()["actors_hash"], "add", 0, fields)
    assert view["proposed"] == []
    assert view["claims"][0]["subject"] == "golden-eagle-militia"
    assert view["claims"][2]["object"] == "golden-eagle-militia"
    actors = (own / "actors.yaml").read_text(encoding="utf-8")
    assert actors.startswith(actors_before)
    assert actors[len(actors_before) :] == (
        "\n  - id: golden-eagle-militia\n    name: Golden Eagle Militia\n    type: ArmedGroup\n"
        "    aliases:\n      - GEM\n"
    )
    text = _claims(own, OWN)
    assert "# A hand-written draft: this comment must survive every decision." in text
    assert "predicate: attacked   # wrong: the militia attacked" in text and "proposed_actors" not in text
    view = review.decide(OWN, view["hash"], "accept", 0)
    view = review.decide(OWN, view["hash"], "reject", 1)
    view = review.decide(OWN, view["hash"], "accept", 2)
    view = review.decide(OWN, view["hash"], "done")
    assert "review: reviewed  # set by kg review" in _claims(own, OWN)
    build(own, tmp_path / "out")
    graph = load_graph(tmp_path / "out")
    assert set(graph.query("ASK { id:golden-eagle-militia kg:attacked id:moe-gyo-pyin }"))  # the militia's attack
    assert not set(graph.query("ASK { id:junta kg:attacked id:moe-gyo-pyin }")) - {False}


def test_a_proposed_actor_merged_becomes_an_alias_and_a_dropped_one_rejects_its_claims(own):
    review = Review(own)
    view = review.article(OWN)
    view = review.proposed(OWN, view["hash"], review.meta()["actors_hash"], "merge", 0, {"into": "pyu-saw-htee"})
    assert "      - Golden Eagle Militia\n" in (own / "actors.yaml").read_text(encoding="utf-8")
    assert view["claims"][0]["subject"] == "pyu-saw-htee"
    review.undo()
    view = review.article(OWN)
    view = review.proposed(OWN, view["hash"], review.meta()["actors_hash"], "drop", 0)
    assert [c["status"] for c in view["claims"]] == ["rejected", "", "rejected"]


def test_a_registry_change_kg_build_would_refuse_is_refused(own):
    review = Review(own)
    view = review.article(OWN)
    fields = {"id": "junta", "name": "Golden Eagle Militia", "type": "ArmedGroup"}
    with pytest.raises(SourceError, match="the id 'junta' is used twice"):
        review.proposed(OWN, view["hash"], review.meta()["actors_hash"], "add", 0, fields)
    with pytest.raises(SourceError, match="unknown actor type 'Militia'"):
        bad = {**fields, "id": "g", "type": "Militia"}
        review.proposed(OWN, view["hash"], review.meta()["actors_hash"], "add", 0, bad)


# --- HTTP ------------------------------------------------------------------------------------------------------


@pytest.fixture()
def client(own):
    app = ReviewApp(Review(own), token="the-token")
    return Client(app)


def _post(client, path, body, **headers):
    headers = {"Host": "127.0.0.1:8001", TOKEN_HEADER: "the-token", **headers}
    return client.post(path, data=json.dumps(body), headers=headers, content_type="application/json")


def test_the_page_and_calls_answer_this_machine_only(client):
    assert client.get("/", headers={"Host": "127.0.0.1:8001"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost:8001"}).status_code == 200
    for host in ("evil.example", "evil.example:8001", "192.168.1.2:8001"):
        answer = client.get("/api/queue", headers={"Host": host})
        assert answer.status_code == 421 and "only requests addressed to this machine" in answer.json["error"]


def test_the_page_has_a_strict_policy_and_no_cors(client):
    answer = client.get("/", headers={"Host": "127.0.0.1:8001", "Origin": "http://evil.example"})
    csp = answer.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "connect-src 'self'" in csp
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert '<meta name="kg-token" content="the-token">' in answer.get_data(as_text=True)
    for path in ("/", "/api/queue", "/api/meta", f"/api/article?slug={OWN}"):
        headers = client.get(path, headers={"Host": "127.0.0.1:8001", "Origin": "http://evil.example"}).headers
        assert not [h for h in headers if h[0].lower().startswith("access-control-")]
    options = client.options("/api/decide", headers={"Host": "127.0.0.1:8001", "Origin": "http://evil.example"})
    assert options.status_code == 405 and "Access-Control-Allow-Origin" not in options.headers


def test_a_write_without_the_token_or_from_another_site_is_refused(client, own):
    base = client.get(f"/api/article?slug={OWN}", headers={"Host": "127.0.0.1:8001"}).json["hash"]
    body = {"slug": OWN, "base": base, "action": "reject", "index": 1}
    refused = [
        _post(client, "/api/decide", body, **{TOKEN_HEADER: ""}),
        _post(client, "/api/decide", body, **{TOKEN_HEADER: "a-guess"}),
        _post(client, "/api/decide", body, Origin="http://evil.example"),
        _post(client, "/api/decide", body, **{"Sec-Fetch-Site": "cross-site"}),
        client.post(  # a form an attacker's page can send without a preflight
            "/api/decide",
            data=json.dumps(body),
            headers={"Host": "127.0.0.1:8001", "Origin": "http://evil.example"},
            content_type="text/plain",
        ),
    ]
    assert [r.status_code for r in refused] == [403] * 5
    assert _claims(own, OWN) == OWN_DRAFT
    ok = _post(client, "/api/decide", body, Origin="http://127.0.0.1:8001")
    assert ok.status_code == 200 and ok.json["claims"][1]["status"] == "rejected"


def test_http_says_what_kg_build_says_and_offers_a_reload_on_a_change_on_disk(client, own):
    view = client.get(f"/api/article?slug={OWN}", headers={"Host": "127.0.0.1:8001"}).json
    fixed = {**view["claims"][1], "quote": "not in the text"}
    body = {"slug": OWN, "base": view["hash"], "action": "fix", "index": 1, "fields": fixed}
    answer = _post(client, "/api/decide", body)
    assert answer.status_code == 422 and "the quote is not in" in answer.json["problems"][0]
    (own / "claims" / f"{OWN}.yaml").write_text(OWN_DRAFT + "\n", encoding="utf-8")
    answer = _post(client, "/api/decide", {"slug": OWN, "base": view["hash"], "action": "accept", "index": 2})
    assert answer.status_code == 409 and answer.json["reload"] is True
    assert _post(client, "/api/undo", {}).status_code == 422
