"""Stage 5a, the view: the built graph drawn as one offline HTML page (vis-network, carried inline).

- :mod:`kg.view.model`: nodes, edges and their claims, read from the graph.
- :mod:`kg.view.style`: colours, widths and dashes, read from the ontology's drawing terms.
- :mod:`kg.view.render`: ``kg viz``: what to draw (focus, filters) and the page written atomically.
- :mod:`kg.view.html`: the page itself from ``page.html``, ``page.css`` and ``page.js``.
"""
