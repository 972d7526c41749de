"""Stage 6, serving and hand-off: the SPARQL endpoint, remote stores, and pushing the graph to them.

- :mod:`kg.serve.server`: ``kg serve``: the HTTP server and the worker pool, started and stopped together.
- :mod:`kg.serve.app`: the WSGI application (``/sparql``, the query page, the graph's files).
- :mod:`kg.serve.formats`: media types, ``format`` names and the service description.
- :mod:`kg.serve.pool`: the worker processes, handed queries in order, replaced, moved to a new build.
- :mod:`kg.serve.worker`: one worker process, which loads the graph once and answers queries.
- :mod:`kg.serve.remote`: queries on a remote endpoint (httpx; credentials stay with the host named).
- :mod:`kg.serve.push`: ``kg push``, one Graph Store Protocol PUT per named graph.
"""
