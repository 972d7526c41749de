"""Stage 2b, the review: a person decides on the draft claims of ``kg extract`` in a page (``kg review``).

- :mod:`kg.review.session`: the queue, one article's drafts, decisions written at once, undo.
- :mod:`kg.review.decisions`: what a decision does to the text of a claims file or of ``actors.yaml``.
- :mod:`kg.review.yamltext`: one list entry edited in place with ruamel.yaml, the rest of the file untouched.
- :mod:`kg.review.checks`: each decision checked by the readers of ``kg build``, with their messages.
- :mod:`kg.review.files`: content hashes, and atomic writes refused when a file changed on disk.
- :mod:`kg.review.app`, :mod:`kg.review.server`, :mod:`kg.review.page`: the page and its loopback server.
"""

from kg.review.files import ChangedOnDisk
from kg.review.session import Review

__all__ = ["ChangedOnDisk", "Review"]
