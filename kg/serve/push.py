"""Hand the built graph to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol (``kg push``).

Each named graph of the build (the registry, one per source article) and the
ontology is sent whole with ``PUT``, which replaces that graph on the store:
pushing twice leaves the store as pushing once. Graph names are always
explicit, since stores differ on what their default graph is (Virtuoso,
GraphDB and Neptune: the union of all graphs; Oxigraph: a graph of its own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from rdflib import URIRef

from kg.core.ids import BASE
from kg.serve.remote import Endpoint, RemoteError, check_url, run_remote

GRAPH_BASE = f"{BASE}graph/"
_COUNTS = f"""SELECT ?g (COUNT(*) AS ?n) WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{GRAPH_BASE}"))
}} GROUP BY ?g"""


@dataclass(frozen=True)
class GraphUpload:
    """One named graph to send: its IRI, its size, and its triples as N-Triples (sorted, so deterministic)."""

    iri: URIRef
    triples: int
    body: bytes

    @property
    def short(self) -> str:
        """The graph's name as kg writes it (``kgg:registry``)."""
        return "kgg:" + self.iri.removeprefix(GRAPH_BASE) if self.iri.startswith(GRAPH_BASE) else f"<{self.iri}>"


@dataclass
class PushPlan:
    """What a push sends, and what the store holds now (when it could be asked)."""

    store: str
    graphs: list[GraphUpload]
    remote: dict[str, int] | None = None  # graph IRI -> triples on the store now; None when not asked
    remote_error: str = ""
    pushed: list[str] = field(default_factory=list)

    def stale(self) -> dict[str, int]:
        """kg graphs on the store that this build does not have (a removed article): left as they are."""
        ours = {str(g.iri) for g in self.graphs}
        return {g: n for g, n in sorted((self.remote or {}).items()) if g not in ours}

    def describe(self, dry_run: bool) -> str:
        """The plan, or what was done, as lines for a person."""
        verb = "Would replace" if dry_run else "Replaced"
        total = sum(g.triples for g in self.graphs)
        lines = [f"{verb} {len(self.graphs)} graphs ({total:,} triples) at {self.store} with PUT:"]
        width = max(len(g.short) for g in self.graphs) if self.graphs else 0
        for graph in self.graphs:
            now = ""
            if self.remote is not None:
                before = self.remote.get(str(graph.iri))
                when = "on the store" if dry_run else "before"
                now = f"  ({when}: none)" if before is None else f"  ({when}: {before:,} triples)"
            lines.append(f"  {graph.short.ljust(width)}  {graph.triples:>7,} triples{now}")
        if self.remote is None and self.remote_error:
            lines.append(f"The store's current graphs are unknown: {self.remote_error}")
        for iri, count in self.stale().items():
            lines.append(f"Not in this build, left on the store: <{iri}> ({count:,} triples).")
        return "\n".join(lines) + "\n"


def graphs_to_push(graph_dir: str | Path = "output", ontology: str | Path | None = None) -> list[GraphUpload]:
    """The named graphs of the built graph (registry, sources) and the ontology, sorted by IRI.

    Raises:
        GraphNotBuiltError: When the folder holds no built graph.
    """
    from kg.query.run import load_graph

    dataset = load_graph(graph_dir, ontology)
    uploads = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph) or not isinstance(graph.identifier, URIRef) or not graph.identifier.startswith(GRAPH_BASE):
            continue  # the (empty) default graph
        # split("\n"), not splitlines(): a literal may hold U+2028, NEL or a form feed, which N-Triples writes as is.
        lines = sorted(set(graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")) - {""})
        uploads.append(GraphUpload(graph.identifier, len(graph), ("\n".join(lines) + "\n").encode("utf-8")))
    return uploads


def graph_url(store: str, iri: str) -> str:
    """The Graph Store Protocol URL of one graph (indirect identification: ``?graph=IRI``)."""
    return f"{store}{'&' if '?' in store else '?'}graph={quote(iri, safe='')}"


def push(
    graph_dir: str | Path,
    endpoint: Endpoint,
    graph_store: str | None = None,
    dry_run: bool = False,
    ontology: str | Path | None = None,
    progress: Callable[[GraphUpload], None] | None = None,
) -> PushPlan:
    """Upload the built graph, one PUT per named graph.

    Args:
        graph_dir: The output folder of ``kg build``.
        endpoint: The store's SPARQL query endpoint (asked how many triples each graph holds now),
            with the credentials used for every request.
        graph_store: The store's Graph Store service URL (default: the endpoint's URL); no user or password in it.
        dry_run: Only say what would be sent.
        ontology: An ontology folder, when not the one shipped with kg.
        progress: Called after each graph is sent.

    Raises:
        RemoteError: When the store cannot be reached or refuses a graph (the graphs before it stay replaced),
            or the Graph Store URL holds a user or password.
    """
    store = check_url(graph_store, "--graph-store") if graph_store else endpoint.url
    plan = PushPlan(store, graphs_to_push(graph_dir, ontology))
    try:
        result = run_remote(endpoint, _COUNTS)
        plan.remote = {str(row[0]): int(str(row[1])) for row in result}  # type: ignore[index]
    except RemoteError as exc:  # only informative: the PUTs say whether the store can be reached
        plan.remote_error = str(exc)
    except (IndexError, TypeError, ValueError) as exc:  # rows of other variables or values than asked for
        plan.remote_error = f"the store answered the count of triples per graph with rows kg cannot read ({exc})"
    if dry_run:
        return plan
    for graph in plan.graphs:
        endpoint.request(
            "PUT",
            graph_url(store, str(graph.iri)),
            graph.body,
            {"Content-Type": "text/turtle; charset=utf-8"},  # N-Triples is Turtle, and every store reads Turtle
            option="--graph-store" if graph_store else "--endpoint",
        )
        plan.pushed.append(str(graph.iri))
        if progress:
            progress(graph)
    return plan
