"""SPARQL text: RDF terms written so that no value can change the query around them, and parameters bound.

A named query's parameters are put into its text as terms written by
:func:`sparql_term`, the same way for the local store and a remote endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.errors import Problem, QueryError

_IRI = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_LANG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(text: str) -> str:
    """The inside of a SPARQL string literal.

    SPARQL processors expand ``\\uXXXX`` and ``\\UXXXXXXXX`` before parsing (SPARQL 1.1, 19.2), even after an
    escaped backslash; so a ``u`` or ``U`` right after a backslash is written as a code point escape itself
    (in the 8-digit form, which a greedy expander cannot run on into the digits after it).
    """
    out = []
    for i, char in enumerate(text):
        if char in "uU" and i and text[i - 1] == "\\":
            out.append(f"\\U{ord(char):08X}")
        else:
            out.append(_ECHAR.get(char, char))
    return "".join(out)


def sparql_term(term: Identifier) -> str:
    """An IRI or literal written as SPARQL, escaped so that no value can change the query around it.

    Raises:
        QueryError: On an IRI with characters no IRI may hold, or a term that is neither IRI nor literal.
    """
    if isinstance(term, URIRef):
        if not _IRI.fullmatch(str(term)):
            raise QueryError(
                Problem(None, None, f"'{term}' is not a valid IRI.", "percent-encode its special characters.")
            )
        return f"<{term}>"
    if isinstance(term, Literal):
        text = _string(str(term))
        if term.language:
            if not _LANG.fullmatch(term.language):
                raise QueryError(f"'{term.language}' is not a language tag.")
            return f'"{text}"@{term.language}'
        if term.datatype:
            return f'"{text}"^^{sparql_term(URIRef(term.datatype))}'
        return f'"{text}"'
    raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be sent to an endpoint.")


# Strings, IRIs and comments (left as they are), variables, and the first brace (where the projection ends).
_TOKEN = re.compile(
    "|".join(
        (
            r'"""(?:[^"\\]|\\.|"(?!""))*"""',  # long strings
            r"'''(?:[^'\\]|\\.|'(?!''))*'''",
            r'"(?:[^"\\\n]|\\.)*"',  # short strings
            r"'(?:[^'\\\n]|\\.)*'",
            r'<[^<>"{}|^`\\\s]*>',  # IRIs
            r"#[^\n]*",  # comments
            r"(?i:BOUND)\s*\(\s*[?$](\w+)\s*\)",  # BOUND(?v): true once ?v has a value
            r"[?$](\w+)",  # variables
            r"\{",
        )
    )
)


def bind(text: str, bindings: Mapping[str, Identifier]) -> tuple[str, dict[str, Identifier]]:
    """Put bound values into a query's pattern as escaped RDF terms (:func:`sparql_term`), never raw text.

    Each use of a bound variable after the query's first ``{`` is replaced (outside strings, IRIs
    and comments), subqueries and filters included, and ``BOUND(?v)`` becomes ``true``. Variables
    used before it, in the projection, are left and returned: Oxigraph substitutes those itself
    (it substitutes only projected variables), and a remote query gets a ``VALUES`` block for them.
    """
    in_body = False
    native: dict[str, Identifier] = {}

    def swap(match: re.Match[str]) -> str:
        nonlocal in_body
        token, bound, name = match.group(0), match.group(1), match.group(2)
        if token == "{":
            in_body = True
        elif bound in bindings and in_body:
            return "true"
        elif name in bindings:
            if in_body:
                return sparql_term(bindings[name])
            native[name] = bindings[name]
        return token

    return _TOKEN.sub(swap, text), native
