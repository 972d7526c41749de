"""The shared basics every stage stands on; nothing here imports a stage.

- :mod:`kg.core.errors`: ``KgError`` and its kinds, ``Problem`` (file, line, what, fix), exit codes.
- :mod:`kg.core.ontology`: finds and reads ``ontology/kg.ttl``, the vocabulary as data.
- :mod:`kg.core.ids`: deterministic IRIs for actors, sources, claims and graphs.
- :mod:`kg.core.yamlio`: YAML with line marks, and reading source files safely.
- :mod:`kg.core.dates`: EDTF dates and their earliest/latest bounds.
- :mod:`kg.core.text`, :mod:`kg.core.termwidth`: name keys, counted nouns, display widths.
- :mod:`kg.core.atomic`: files written whole or not at all.
- :mod:`kg.core.sparql`: SPARQL terms, bound parameters, and the one normalised text that is checked and run.
"""
