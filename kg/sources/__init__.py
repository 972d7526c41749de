"""Stage 1, the sources: articles, the actor registry and claims, read and checked into records.

- :mod:`kg.sources.articles`: an article file (front matter and text).
- :mod:`kg.sources.registry`: ``actors.yaml``, the actor registry.
- :mod:`kg.sources.claims`: a claims file, each claim checked against its article, the registry and the ontology.
- :mod:`kg.sources.fields`: the checks of single fields that the three share.
- :mod:`kg.sources.load`: a whole sources folder, every problem reported in one run.
"""
