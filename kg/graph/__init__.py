"""Stage 3, the graph: records become an RDF dataset, written as files and into the embedded store.

- :mod:`kg.graph.rdf`: the RDF model (actors, direct relations, claim nodes, sources, named graphs).
- :mod:`kg.graph.formats`: Turtle, TriG, N-Triples and JSON-LD writers.
- :mod:`kg.graph.store`: the Oxigraph store (loaded in parallel, opened read-only by readers).
- :mod:`kg.graph.publish`: a build folder switched into place atomically; the last good build stays.
- :mod:`kg.graph.build`: ``kg build``, the whole stage from a sources folder to an output folder.
- :mod:`kg.graph.validate`: ``kg validate``, the SHACL shapes of ``ontology/shapes.ttl`` on the built graph.
"""
