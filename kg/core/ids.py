"""Deterministic IRIs for actors, sources, claims and named graphs.

IRIs are minted from normalised keys (registry ids, source slugs) or from a
hash of a claim's content: never random, never timestamped. Every character
outside the URI "unreserved" set is percent-encoded, so an id with spaces,
quotes or Burmese script gives an IRI that every RDF tool accepts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote, unquote

from rdflib import URIRef

BASE = "https://w3id.org/kg/"


_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")  # what quote() leaves as it is, and NFC too


def _segment(key: str) -> str:
    if _UNRESERVED.fullmatch(key):  # most keys: no Unicode table or quote() to go through (10,000 slugs a build)
        return key
    return quote(unicodedata.normalize("NFC", key), safe="-._~")


def actor_iri(actor_id: str) -> URIRef:
    """The IRI of a registry actor, e.g. ``https://w3id.org/kg/id/umehl``."""
    return URIRef(f"{BASE}id/{_segment(actor_id)}")


def source_iri(slug: str) -> URIRef:
    """The IRI of a source article, from its file name without extension."""
    return URIRef(f"{BASE}source/{_segment(slug)}")


def outlet_iri(name_key: str) -> URIRef:
    """The IRI of an outlet that is not in the registry, from its normalised name."""
    return URIRef(f"{BASE}outlet/{_segment(name_key.replace(' ', '-'))}")


def claim_iri(slug: str, *parts: str) -> URIRef:
    """The IRI of a claim: its source, then a hash of what it states."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{BASE}claim/{_segment(slug)}-{digest}")


def graph_iri(name: str) -> URIRef:
    """The IRI of a named graph: ``registry`` or ``source/<slug>``."""
    return URIRef(f"{BASE}graph/{name}")


def source_graph_iri(slug: str) -> URIRef:
    """The named graph holding one source's claims and relations."""
    return URIRef(source_graph_name(slug))


def source_graph_name(slug: str) -> str:
    """:func:`source_graph_iri` as a plain string (a build names 10,000 graphs: no URIRef checked for each)."""
    return f"{BASE}graph/source/{_segment(slug)}"


def local_id(iri: str) -> str:
    """The registry id or slug back from an actor or source IRI (percent-decoded)."""
    return unquote(iri.rstrip("/").rsplit("/", 1)[-1])
