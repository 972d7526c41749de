"""The network view: the built graph, or a part of it, as one self-contained HTML page.

:func:`build_view` picks what to draw (an actor's neighbourhood, some
predicates, a period, a source, or the edges a SPARQL query gives);
:func:`write_view` writes the page (see :mod:`kg.view.html`). Every option
that names something unknown is refused with a :class:`~kg.core.errors.KgError`
that says how to fix it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from kg.core.atomic import write_atomically
from kg.core.dates import parse_date
from kg.core.errors import KgError, Problem, QueryError, display_path
from kg.core.ontology import Ontology, load_ontology
from kg.core.text import counted
from kg.graph.cache import no_collection
from kg.query.named import resolve_actor
from kg.query.run import load_graph, run_query
from kg.view.html import render_html
from kg.view.model import ClaimView, EdgeView, GraphModel, Source, View, edge_key, read_model


@dataclass(frozen=True)
class ViewOptions:
    """What to draw.

    Attributes:
        focus: An actor (id, name or alias): draw only its neighbourhood.
        depth: How many hops from the focus actor.
        predicates: Only these relations (local names, e.g. ``owns``).
        since: Only claims that may refer to this date or later (EDTF: YYYY, YYYY-MM, YYYY-MM-DD).
        until: Only claims that may refer to this date or earlier.
        source: Only claims from this source (its slug).
        query: A SPARQL file whose CONSTRUCT triples, or SELECT rows (?subject ?predicate ?object
            or ?s ?p ?o), are the relations to draw.
        isolated: Also draw registry actors that take part in no relation (left out by default: a
            registry of the conflict's actors holds many that a given set of sources never names).
    """

    focus: str | None = None
    depth: int = 1
    predicates: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    source: str | None = None
    query: str | Path | None = None
    isolated: bool = False


@dataclass(frozen=True)
class ViewResult:
    """What :func:`write_view` wrote."""

    path: Path
    nodes: int
    edges: int
    claims: int

    def summary(self) -> str:
        """One line for the command line."""
        counts = ((self.nodes, "actor"), (self.edges, "relation"), (self.claims, "claim"))
        what = ", ".join(counted(n, noun) for n, noun in counts)
        return f"{what} -> {display_path(self.path)}"


def _problem(message: str, fix: str) -> KgError:
    return KgError(Problem(None, None, message, fix))


def _check_predicates(names: tuple[str, ...], ontology: Ontology) -> set[str]:
    known = sorted(ontology.relations)
    for name in names:
        if name.removeprefix("kg:") not in ontology.relations:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise _problem(f"--predicate: unknown relation '{name}'.{hint}", f"use one of: {', '.join(known)}.")
    return {n.removeprefix("kg:") for n in names}


def _bound(text: str | None, option: str, upper: bool) -> str | None:
    if text is None:
        return None
    try:
        spec = parse_date(text)
    except ValueError as exc:
        raise _problem(f"{option}: {exc}.", "give a date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021-02.") from exc
    day = spec.latest if upper else spec.earliest
    return day.isoformat() if day else None


def _in_period(claim: ClaimView, source: Source | None, since: str | None, until: str | None) -> bool:
    low = claim.earliest or (source.earliest if source and not claim.date else "")
    high = claim.latest or (source.latest if source and not claim.date else "")
    if not claim.date and not (source and source.date):
        return False
    return (not until or not low or low <= until) and (not since or not high or high >= since)


def _query_keys(graph: Graph, path: str | Path, model: GraphModel, ontology: Ontology) -> set[tuple[str, str, str]]:
    where = display_path(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(
            Problem(where, None, f"cannot read the query file ({exc}).", "give a readable .rq file.")
        ) from exc
    try:
        result = run_query(graph, text)
    except QueryError as exc:
        raise QueryError([Problem(where, p.line, p.message, p.fix) for p in exc.problems]) from exc
    fix = (
        "write a CONSTRUCT of relation triples, or a SELECT of ?subject ?predicate ?object (or ?s ?p ?o), e.g. "
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o . ?p rdfs:subPropertyOf kg:relatedTo }."
    )
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        triples = list(result.graph or ())
    elif result.type == "SELECT":
        names = [str(v) for v in result.vars or []]
        chosen = next((c for c in (("subject", "predicate", "object"), ("s", "p", "o")) if set(c) <= set(names)), None)
        if chosen is None:
            raise QueryError(Problem(where, None, f"the SELECT gives {', '.join(names) or 'no variables'}.", fix))
        triples = [tuple(row[name] for name in chosen) for row in result]  # type: ignore[index, misc, call-overload]
    else:
        raise QueryError(Problem(where, None, f"an {result.type} query gives no edges.", fix))
    by_iri: dict[Any, Any] = {rel.iri: rel for rel in ontology.relations.values()}
    keys = set()
    for s, p, o in triples:
        rel = by_iri.get(p)
        if rel and s in model.iris and o in model.iris:
            keys.add(edge_key(model.iris[s], rel.name, model.iris[o], rel.symmetric))  # type: ignore[index]
    if not keys:
        raise QueryError(Problem(where, None, "the query gives no relation between two actors.", fix))
    return keys


def _neighbourhood(focus: str, depth: int, edges: list[EdgeView]) -> set[str]:
    links: dict[str, set[str]] = {}
    for edge in edges:
        links.setdefault(edge.source, set()).add(edge.target)
        links.setdefault(edge.target, set()).add(edge.source)
    kept, frontier = {focus}, {focus}
    for _ in range(depth):
        frontier = {n for f in frontier for n in links.get(f, ())} - kept
        kept |= frontier
    return kept


def build_view(graph: Graph, options: ViewOptions | None = None, ontology: Ontology | None = None) -> View:
    """Choose the nodes and edges to draw.

    Args:
        graph: The built graph (:func:`kg.query.run.load_graph`).
        options: What to draw; everything when None.
        ontology: The vocabulary; the shipped one when None.

    Returns:
        The view: with no option, every relation with all its claims and the actors they join (and
        the actors with no relation too when ``isolated``); with a claim filter (period, source),
        only the claims that pass and the edges that keep one.

    Raises:
        KgError: On an unknown actor, relation or source, a bad date, or a query file that cannot be used.
    """
    options = options or ViewOptions()
    ontology = ontology or load_ontology()
    model = read_model(graph, ontology)
    filters = []
    wanted = _check_predicates(options.predicates, ontology)
    if wanted:
        filters.append("relations: " + ", ".join(sorted(wanted)))
    if options.source is not None and options.source not in model.sources:
        close = difflib.get_close_matches(options.source, list(model.sources), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise _problem(
            f"--source: no source '{options.source}' in the graph.{hint}", "use a slug from sources/articles/."
        )
    since, until = _bound(options.since, "--since", False), _bound(options.until, "--until", True)
    if since and until and until < since:
        raise _problem(f"--until {options.until} is before --since {options.since}.", "swap the two dates.")
    keys = _query_keys(graph, options.query, model, ontology) if options.query else None
    edges = []
    for key, edge in sorted(model.edges.items()):
        if (wanted and edge.predicate not in wanted) or (keys is not None and key not in keys):
            continue
        claims = edge.claims
        if options.source or since or until:
            claims = tuple(
                c
                for c in claims
                if (not options.source or c.source == options.source)
                and (not (since or until) or _in_period(c, model.sources.get(c.source), since, until))
            )
            if not claims:
                continue
        edges.append(edge if claims is edge.claims else EdgeView(edge.source, edge.target, edge.predicate, claims))
    filters += [
        f"{n} {v}" for n, v in (("source", options.source), ("since", options.since), ("until", options.until)) if v
    ]
    if options.query:
        filters.append(f"query {Path(options.query).name}")
    narrowed = bool(filters)
    drawn_all = options.isolated and not narrowed
    node_ids = set(model.nodes) if drawn_all else {n for e in edges for n in (e.source, e.target)}
    if options.focus is not None:
        focus = model.iris[URIRef(resolve_actor(graph, options.focus))]
        node_ids = _neighbourhood(focus, options.depth, edges) & (node_ids | {focus})
        edges = [e for e in edges if e.source in node_ids and e.target in node_ids]
        filters.insert(0, f"around {model.nodes[focus].label} (depth {options.depth})")
    if not node_ids:
        raise _problem("nothing to draw: no relation passes " + "; ".join(filters) + ".", "widen the filters.")
    cited = {c.source for e in edges for c in e.claims}
    return View(
        nodes=tuple(model.nodes[n] for n in sorted(node_ids)),
        edges=tuple(edges),
        sources={s: model.sources[s] for s in sorted(cited) if s in model.sources},
        filters=tuple(filters),
    )


def write_view(
    graph: Graph,
    path: str | Path = "output/network.html",
    options: ViewOptions | None = None,
    ontology: Ontology | None = None,
) -> ViewResult:
    """Write the network page; the file is replaced only when the page is complete.

    Args:
        graph: The built graph.
        path: The HTML file to write.
        options: What to draw (see :class:`ViewOptions`).
        ontology: The vocabulary; the shipped one when None.

    Returns:
        Where the page was written and what it holds.
    """

    ontology = ontology or load_ontology()
    with no_collection():  # a claim's objects hold no cycles; at 100,000 claims the collector's passes cost seconds
        view = build_view(graph, options, ontology)
        page = render_html(view, ontology)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, page, prefix=".network-", suffix=".html")
    claims = sum(len(e.claims) for e in view.edges)
    return ViewResult(target, len(view.nodes), len(view.edges), claims)


def viz(
    graph_dir: str | Path = "output",
    path: str | Path | None = None,
    options: ViewOptions | None = None,
    ontology: str | Path | None = None,
) -> ViewResult:
    """Load the built graph and write its network page (what ``kg viz`` does).

    Args:
        graph_dir: The output folder of ``kg build``.
        path: The HTML file; ``network.html`` in ``graph_dir`` when None.
        options: What to draw.
        ontology: An ontology folder, when not the shipped one.
    """
    graph = load_graph(graph_dir, ontology)
    target = Path(path) if path else Path(graph_dir) / "network.html"
    return write_view(graph, target, options, load_ontology(ontology))
