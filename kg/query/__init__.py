"""Stage 4, the questions: SPARQL on the built graph, named queries, and the tables and formats of answers.

- :mod:`kg.query.run`: load the built graph, prepare (refusing SERVICE and FROM), run, bind named queries, format.
- :mod:`kg.query.limits`: a query run in a child process whose memory is capped.
- :mod:`kg.query.actors`: ``kg actors`` and ``kg describe``.
- ``queries/*.rq``: the named queries, plain SPARQL with a comment line and ``# param:`` lines.
"""
