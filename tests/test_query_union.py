"""Named queries over sources that state the same triples (issue 14: proposed actors in every source's graph).

The default graph of a query is the union of the named graphs, and a triple two sources state is one triple of
that union. Oxigraph 0.5 gives such a triple once per graph (oxigraph/oxigraph#1919), so a query over two
sources that share a relation, an outlet or a proposed actor's label printed each claim once per graph: 105
rows for 5 claims in ``kg describe`` on the 100 real articles' drafts. Each named query's row is one claim.
"""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from kg.cli import main
from kg.query.named import named_queries, run_named
from kg.query.run import load_graph

DRAFT = """article: {slug}
review: pending
claims:
- subject: new-local-resistance-group
  predicate: attacked
  object: state-army
  quote: A local resistance group seized the Hill 12 jade quarry
  confidence: 0.6
  rule: test
proposed_actors:
- id: new-local-resistance-group
  name: Local Resistance Group
  type: ArmedGroup
  sentence: A local resistance group seized the Hill 12 jade quarry in North Valley Township on Sunday.
"""
VALUES = {"actor": "state-army", "source": "tiny-report", "org": "state-army", "to": "state-army"}


def test_every_named_query_gives_each_claim_once_when_sources_share_triples(tiny, tmp_path):
    for copy in ("tiny-report-2", "tiny-report-3"):  # three sources with the same relations, outlet and actors
        shutil.copy(tiny / "articles" / "tiny-report.md", tiny / "articles" / f"{copy}.md")
        shutil.copy(tiny / "claims" / "tiny-report.yaml", tiny / "claims" / f"{copy}.yaml")
    for draft in ("tiny-draft", "tiny-draft-2"):  # two drafts that propose one actor (its label in both graphs)
        shutil.copy(tiny / "articles" / "tiny-report.md", tiny / "articles" / f"{draft}.md")
        (tiny / "claims" / f"{draft}.yaml").write_text(DRAFT.format(slug=draft), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--sources", str(tiny), "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    graph = load_graph(tmp_path / "out")
    answered = 0
    for name, query in named_queries().items():
        params = {p.name: VALUES[p.name] for p in query.params if not p.optional}
        rows = [tuple(row) for row in run_named(graph, name, params)]
        assert len(rows) == len(set(rows)), name
        answered += bool(rows)
    assert answered >= 6  # the queries found the claims (not a test of empty answers)
    described = CliRunner().invoke(main, ["describe", "state-army", "--graph", str(tmp_path / "out")])
    assert described.exit_code == 0, described.output
    one = (tiny / "claims" / "tiny-report.yaml").read_text(encoding="utf-8").split("- subject:")[1:]
    army = sum("state-army" in c for c in one)
    assert f"{3 * army + 2} claims" in described.output  # each claim once, not once per graph that shares a triple
