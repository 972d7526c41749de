"""The embedded store: the built graph in Oxigraph, written by ``kg build`` and opened by every reader.

``kg build`` loads ``graph.trig`` and the ontology into an on-disk Oxigraph
store (``output/store``). A later build copies the last store (a RocksDB
checkpoint: hard links, no copy of the data) and replaces only the named
graphs whose content changed, so adding an article does not reload the rest.

Readers (:func:`kg.query.run.load_graph`) open the store read-only (a graph.trig
without a store, or with another ontology, is loaded into memory); either way
SPARQL runs on Oxigraph (:func:`run`), and the rdflib API (``graph.objects``,
``graph.value``...) stays available (:class:`ReadOnlyStore`).

Terms cross between rdflib and pyoxigraph through :func:`to_ox` and
:func:`from_ox`, which keep RDF 1.1's simple literals simple (oxrdflib hands
them back typed ``xsd:string``, which rdflib does not count as equal, and
imports rdflib's SPARQL engine, half a second of every command's start).
"""

from __future__ import annotations

import hashlib
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.store import Store as RdflibStore
from rdflib.term import Identifier, Node

from kg.core.cores import cores

# A graph whose TriG is larger than this is queried in the on-disk store; a smaller one is copied from
# the store into memory (the seed in 0.03 s), where Oxigraph answers several times faster.
STORE_MIN_BYTES = 2_000_000
PARALLEL_LOAD_BYTES = 4_000_000  # N-Triples text from which the store is loaded on every core
STORE_FORMAT = 1  # bumped when the store's layout changes; a build then reloads it in full
FOLDER = "store"  # the store's folder in a build's folder


def last_store(previous: Path | None, manifest: Mapping[str, Any]) -> Path | None:
    """The last build's store (``previous``: its folder, ``manifest``: its manifest) when a build can start from
    it: there, and of this format."""
    if previous is None or manifest.get("store_format") != STORE_FORMAT or not (previous / FOLDER).is_dir():
        return None
    return previous / FOLDER


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_ox(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term: Any) -> Identifier:
    """A pyoxigraph term as an rdflib term (a simple literal stays simple)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return URIRef(term.value)
    if kind is ox.Literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    if kind is ox.BlankNode:
        return BNode(term.value)
    raise TypeError(f"kg does not read RDF-star terms: {term!r}")


def ntriples(graph: Graph) -> str:
    """A graph as sorted N-Triples: the same graph always gives the same text."""
    # Split on line feeds only: rdflib escapes them, but leaves U+2028, NEL and the like raw inside literals.
    lines = sorted(line for line in graph.serialize(format="nt11").split("\n") if line.strip())
    return "\n".join(lines) + "\n" if lines else ""


def nt_lines(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """Triples as sorted, distinct N-Triples lines (each with its line feed), written by Oxigraph's term writer.

    Several times faster than an rdflib graph and its serialiser: no graph, no index, one string per triple.
    """
    return sorted({f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in triples})


_IRIS: dict[str, str] = {}  # IRIs as N-Triples writes them: predicates, classes and actors repeat in every graph
_TYPED: dict[tuple[Any, ...], str] = {}  # typed literals as N-Triples writes them: dates, confidences, flags


def nt_literal(value: Any, datatype: URIRef | None = None) -> str:
    """The N-Triples text of ``rdflib.Literal(value, datatype=datatype)``, without making the Literal.

    For :func:`kg.graph.rdf.source_triples` (its ``literal``), whose triples :func:`nt_lines` then writes:
    a text without a datatype is written by Oxigraph as the Literal would be; any other value goes through
    rdflib's Literal once (its lexical form, normalised as rdflib does) and is kept for the next time.
    """
    if datatype is None and type(value) is str:
        return str(ox.Literal(value))
    key = (type(value), value, datatype)
    text = _TYPED.get(key)
    if text is None:
        if len(_TYPED) > 100_000:
            _TYPED.clear()
        text = _TYPED[key] = str(to_ox(Literal(value, datatype=datatype)))
    return text


def _nt(term: Node) -> str:
    """A term as N-Triples writes it (Oxigraph's writer); an IRI's text is kept for the next time.

    A plain ``str`` is already N-Triples (:func:`nt_literal`).
    """
    if type(term) is str:
        return term
    if type(term) is not URIRef:
        return str(to_ox(term))
    key = str(term)  # a plain str: its look-up compares in C, a URIRef's in rdflib's __eq__
    text = _IRIS.get(key)
    if text is None:
        if len(_IRIS) > 100_000:
            _IRIS.clear()
        text = _IRIS[key] = str(ox.NamedNode(key))
    return text


def digest(text: str) -> str:
    """The content hash recorded for a named graph."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write(
    path: Path,
    graphs: Mapping[str, str],
    previous: Path | None = None,
    previous_digests: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Write the store for a build from every named graph's IRI and sorted N-Triples (:func:`nt_lines`).

    Returns:
        The digest of each named graph, for the manifest (see :func:`write_graphs` for the rest).
    """
    digests = {iri: digest(text) for iri, text in graphs.items()}
    write_graphs(path, digests, graphs.__getitem__, previous, previous_digests)
    return digests


def write_graphs(
    path: Path,
    digests: Mapping[str, str],
    text: Callable[[str], str],
    previous: Path | None = None,
    previous_digests: Mapping[str, str] | None = None,
) -> None:
    """Write the store for a build.

    Args:
        path: The new store's folder (must not exist).
        digests: Every named graph's IRI and the :func:`digest` of its sorted N-Triples.
        text: A named graph's sorted N-Triples (:func:`nt_lines`), by its IRI: asked only for the graphs
            whose digest is not the previous store's.
        previous: The last build's store, when there is one to start from.
        previous_digests: Its graphs' digests (from its manifest).
    """
    if previous is not None and previous_digests is not None and previous.is_dir():
        try:
            ox.Store.read_only(str(previous)).backup(str(path))
        except OSError:
            pass  # unreadable or from another version: load in full below
        else:
            store = ox.Store(str(path))
            for iri in set(previous_digests) - set(digests):
                store.remove_graph(ox.NamedNode(iri))
            for iri, found in digests.items():
                if previous_digests.get(iri) != found:
                    _replace_graph(store, iri, text(iri))
            store.flush()
            del store
            return
    graphs = {iri: text(iri) for iri in digests}
    store = ox.Store(str(path))
    parts = _partition(graphs, _load_threads(sum(map(len, graphs.values()))))
    # Oxigraph's bulk loader keeps about one core busy: several side by side, on parts that share no blank
    # node, load a million triples on two cores in 9 s instead of 17 s.
    with ThreadPoolExecutor(len(parts)) as pool:
        for done in [pool.submit(_bulk_load, store, part) for part in parts]:
            done.result()
    for iri in graphs:
        store.add_graph(ox.NamedNode(iri))
    if len(parts) > 1:
        # Each load adds its own overlapping files, which every lookup then searches: compacting them
        # (5 s at a million triples) makes the queries on disk up to twice as fast.
        store.optimize()
    store.flush()
    del store


def _load_threads(size: int) -> int:
    """How many bulk loads to run side by side: two per core on a large graph, one on a small one.

    A bulk load parses in one thread and writes in another, neither busy all the time: at a million
    triples on two cores, four loads took 9.1 s, two 10.0 s, one 17 s (median of three).
    """
    if size < PARALLEL_LOAD_BYTES:
        return 1
    return max(1, min(2 * cores(), 8))


def _partition(graphs: Mapping[str, str], count: int) -> list[dict[str, str]]:
    """The named graphs in ``count`` parts of about the same size, whole graphs only.

    Blank node labels are scoped to one load, so every graph holding a blank node goes to the first part:
    a blank node two graphs share stays one node.
    """
    parts: list[dict[str, str]] = [{} for _ in range(count)]
    sizes = [0] * count
    blank = [iri for iri, text in graphs.items() if "_:" in text]
    for iri in blank:
        parts[0][iri] = graphs[iri]
        sizes[0] += len(graphs[iri])
    for iri in sorted(set(graphs) - set(blank), key=lambda iri: -len(graphs[iri])):
        lightest = sizes.index(min(sizes))
        parts[lightest][iri] = graphs[iri]
        sizes[lightest] += len(graphs[iri])
    return [part for part in parts if part] or [{}]


def _bulk_load(store: ox.Store, graphs: Mapping[str, str]) -> None:
    # One bulk load of many graphs as N-Quads: a bulk load per graph costs RocksDB a file ingestion each
    # (390 s instead of 21 s for a million triples in 3,000 articles). The N-Quads are made a graph at a
    # time as the loader reads them: at 10,000 articles the whole text would be 300 MB more to hold.
    # The triples were written by Oxigraph's writers (nt_lines), so the loader need not check them again.
    if any(graphs.values()):
        store.bulk_load(io.BufferedReader(_Quads(graphs), 1 << 20), ox.RdfFormat.N_QUADS, lenient=True)


class _Quads(io.RawIOBase):
    """Named graphs' N-Triples read as one N-Quads file, each graph's lines made when the reader gets to them.

    Every N-Triples line ends with " .\n", and a literal's line feeds are escaped: naming the graph at the
    end of each line makes N-Quads.
    """

    def __init__(self, graphs: Mapping[str, str]):
        super().__init__()
        self._graphs = iter(graphs.items())
        self._chunk = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at >= len(self._chunk):
            found = next(self._graphs, None)
            if found is None:
                return 0
            iri, text = found
            self._chunk, self._at = text.replace(" .\n", f" <{iri}> .\n").encode("utf-8"), 0
        size = min(len(buffer), len(self._chunk) - self._at)
        buffer[:size] = self._chunk[self._at : self._at + size]
        self._at += size
        return size


def _replace_graph(store: ox.Store, iri: str, text: str) -> None:
    name = ox.NamedNode(iri)
    if store.contains_named_graph(name):
        store.remove_graph(name)
    store.load(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=name)
    store.add_graph(name)


class ReadOnlyStore(RdflibStore):
    """An on-disk Oxigraph store behind rdflib's API, read-only: ``graph.value``, ``graph.objects``... work.

    Terms go through :func:`from_ox`, so a graph read from the store compares equal to the same graph
    parsed into memory. SPARQL does not go through rdflib: :func:`run` sends it to Oxigraph.
    """

    context_aware = True
    graph_aware = True
    formula_aware = False
    transaction_aware = False

    def __init__(self, store: ox.Store, path: Path | None = None):
        super().__init__()
        self.inner = store
        self.path = path  # the on-disk store, when queries run on it rather than on a copy in memory
        self._prefixes: dict[str, URIRef] = {}
        self._graphs: dict[str | None, Graph] = {}

    def triples(self, triple_pattern: Any, context: Any = None) -> Any:
        try:
            s, p, o = (to_ox(t) if t is not None else None for t in triple_pattern)
            graph: Any = None  # None: the union of the graphs, as rdflib's Dataset(default_union=True) asks
            if context is not None:
                identifier = context.identifier
                graph = ox.DefaultGraph() if identifier == DATASET_DEFAULT_GRAPH_ID else to_ox(identifier)
            found = self.inner.quads_for_pattern(s, p, o, graph)
        except (TypeError, ValueError):  # a literal as subject, an IRI Oxigraph finds invalid: nothing can match
            return
        if graph is not None:
            for quad in found:
                yield (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)), iter((context,))
            return
        seen = set()  # a triple stated in several graphs is one triple of the union
        for quad in found:
            triple = (quad.subject, quad.predicate, quad.object)
            if triple in seen:
                continue
            seen.add(triple)
            yield (from_ox(triple[0]), from_ox(triple[1]), from_ox(triple[2])), iter((self._graph(quad.graph_name),))

    def _graph(self, name: Any) -> Graph:
        """The rdflib graph for one of the store's graph names (made once each: quads() asks for every triple)."""
        key = name.value if type(name) is not ox.DefaultGraph else None
        if key not in self._graphs:
            identifier = DATASET_DEFAULT_GRAPH_ID if key is None else from_ox(name)
            self._graphs[key] = Graph(store=self, identifier=identifier)
        return self._graphs[key]

    def __len__(self, context: Any = None) -> int:
        if context is None or context.identifier == DATASET_DEFAULT_GRAPH_ID:
            return len(self.inner)  # quads, across the named graphs
        return sum(1 for _ in self.triples((None, None, None), context))

    def contexts(self, triple: Any = None) -> Any:
        for name in self.inner.named_graphs():
            yield self._graph(name)

    def add_graph(self, graph: Graph) -> None:  # rdflib's Dataset declares its default graph: nothing to store
        pass

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        raise TypeError("the built graph is read-only: change the sources and run 'kg build'.")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise TypeError("the built graph is read-only: change the sources and run 'kg build'.")

    def bind(self, prefix: str, namespace: Any, override: bool = True) -> None:
        self._prefixes[prefix] = URIRef(namespace)

    def namespace(self, prefix: str) -> URIRef | None:
        return self._prefixes.get(prefix)

    def prefix(self, namespace: Any) -> str | None:
        return next((p for p, n in self._prefixes.items() if n == namespace), None)

    def namespaces(self) -> Any:
        yield from self._prefixes.items()


def open_dataset(path: Path, in_memory: bool = False) -> Dataset:
    """The store at ``path`` as a read-only rdflib dataset (the default graph is the union).

    Args:
        path: A build's store.
        in_memory: Copy it into memory first (for small graphs: faster queries, at a copy's cost).
    """
    disk = ox.Store.read_only(str(path))
    if not in_memory:
        return Dataset(store=ReadOnlyStore(disk, path), default_union=True)
    copy = ox.Store()
    copy.bulk_extend(disk.quads_for_pattern(None, None, None))
    return Dataset(store=ReadOnlyStore(copy), default_union=True)


def memory_dataset(trig: str, extra: Mapping[str, Graph]) -> Dataset:
    """``graph.trig`` parsed into memory by rdflib, with an Oxigraph copy for SPARQL (:func:`oxigraph_of`)."""
    dataset = Dataset(default_union=True)
    dataset.parse(data=trig, format="trig")
    store = ox.Store()
    store.load(trig.encode("utf-8"), ox.RdfFormat.TRIG)
    for iri, graph in extra.items():
        named = dataset.graph(URIRef(iri))
        for triple in graph:
            named.add(triple)
        store.load(ntriples(graph).encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    dataset._kg_oxigraph = store  # type: ignore[attr-defined]
    return dataset


def oxigraph_of(graph: Graph) -> ox.Store:
    """The Oxigraph store that holds ``graph``'s triples, made (once) from rdflib's when there is none."""
    if isinstance(graph.store, ReadOnlyStore):
        return graph.store.inner
    store = getattr(graph, "_kg_oxigraph", None)
    if store is None:
        store = ox.Store()
        if isinstance(graph, Dataset):
            quads = ((s, p, o, c.identifier if isinstance(c, Graph) else c) for s, p, o, c in graph.quads())
            store.extend(
                ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(c) if isinstance(c, (URIRef, BNode)) else ox.DefaultGraph())
                for s, p, o, c in quads
            )
        else:
            store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)
        graph._kg_oxigraph = store  # type: ignore[attr-defined]
    return store


class OxResult(Result):
    """A SELECT result from Oxigraph: rdflib's Result, with rows converted to rdflib terms only when read.

    ``native`` keeps Oxigraph's own rows, which :func:`kg.query.format.format_result` writes without converting.
    """

    def __init__(self, variables: list[str], native: Iterable[Any]):
        super().__init__("SELECT")
        self.vars = [Variable(v) for v in variables]
        Result.bindings.fset(self, self._convert())  # type: ignore[attr-defined]
        self.native: Iterable[Any] | None = native

    @property  # type: ignore[override]
    def bindings(self) -> Any:
        """The rows as rdflib terms (converted on first use)."""
        return Result.bindings.fget(self)  # type: ignore[attr-defined]

    @bindings.setter
    def bindings(self, rows: Any) -> None:
        Result.bindings.fset(self, rows)  # type: ignore[attr-defined]
        self.native = None  # the rows were replaced: Oxigraph's no longer match them

    def _convert(self) -> Iterator[Mapping[Variable, Identifier]]:
        for row in self.native or ():
            yield {var: from_ox(row[i]) for i, var in enumerate(self.vars or ()) if row[i] is not None}


def oxigraph_answer(
    graph: Graph, text: str, bindings: Mapping[str, Identifier] | None, prefixes: Mapping[str, str]
) -> Any:
    """Oxigraph's own answer to a (checked) query, its rows or triples not read yet.

    The default graph is the union of the named graphs, as in rdflib's ``Dataset(default_union=True)``.
    """
    native: Mapping[str, Identifier] = {}
    if bindings:
        from kg.core.sparql import bind

        text, native = bind(text, bindings)
    union = isinstance(graph, Dataset) and graph.default_union
    return oxigraph_of(graph).query(
        text,
        prefixes=dict(prefixes),
        use_default_graph_as_union=union or not isinstance(graph, Dataset),
        substitutions={ox.Variable(k): to_ox(v) for k, v in native.items()},
    )


def run(
    graph: Graph,
    text: str,
    bindings: Mapping[str, Identifier] | None,
    prefixes: Mapping[str, str],
    max_rows: int | None = None,
    lazy: bool = False,
) -> Result:
    """Run a (checked) SPARQL query on Oxigraph: rdflib's Result for SELECT, ASK, CONSTRUCT and DESCRIBE.

    The default graph is the union of the named graphs, as in rdflib's ``Dataset(default_union=True)``.
    With ``lazy``, a SELECT's rows stay in Oxigraph's iterator, to be read once as they come.
    """
    answer = oxigraph_answer(graph, text, bindings, prefixes)
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, ox.QuerySolutions):
        read: Iterable[Any] = answer if max_rows is None else itertools.islice(answer, max_rows)
        rows: Any = read if lazy else list(read)
        return OxResult([v.value for v in answer.variables], rows)
    result = Result("CONSTRUCT")
    result.graph = Graph()
    for triple in answer:
        result.graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    return result
