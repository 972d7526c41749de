"""Stage 6, serving and hand-off: the SPARQL endpoint, remote stores, and pushing the graph to them.

- :mod:`kg.serve.server`: ``kg serve``, the SPARQL 1.1 Protocol endpoint with its worker processes.
- :mod:`kg.serve.remote`: queries on a remote endpoint (httpx; credentials stay with the host named).
- :mod:`kg.serve.push`: ``kg push``, one Graph Store Protocol PUT per named graph.
"""
