"""SPARQL text: one reading of a query for every engine, RDF terms written so that no value can change the query
around them, and parameters bound.

A query is checked by rdflib's parser and run by Oxigraph, which do not read
every text alike: rdflib expands ``\\uXXXX`` escapes everywhere (SPARQL 1.1,
19.2) and ends a ``#`` comment at a line feed only; Oxigraph expands them only
inside strings and IRIs, and ends a comment at a carriage return too.
:func:`normalise` writes the one text that both read alike, and that text is
what is checked and what runs.

A named query's parameters are put into its text as terms written by
:func:`sparql_term`, the same way for the local store and a remote endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.core.errors import Problem, QueryError

_IRI = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_LANG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ANY_CODEPOINT = re.compile(r"\\[uU][0-9A-Fa-f]{4}")  # what rdflib's greedy expander would still expand
# Every line terminator of Unicode: SPARQL ends a comment at CR or LF, rdflib at LF only, others at any of these.
_TERMINATORS = "\r\n\x0b\x0c\x85\u2028\u2029"
_LEXEME = re.compile(
    "|".join(
        (
            r'(?P<long>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\')',
            rf'(?P<short>"(?:[^"\\\n\r]|\\[^{_TERMINATORS}])*"|\'(?:[^\'\\\n\r]|\\[^{_TERMINATORS}])*\')',
            r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
            rf"(?P<comment>#[^{_TERMINATORS}]*)",
            rf"(?P<escape>\\[^{_TERMINATORS}])",  # a prefixed name's \# or \. (not a comment, not the end of a line)
            rf"(?P<eol>\r\n|[{_TERMINATORS}])",
            rf'(?P<code>[^"\'<#\\{_TERMINATORS}]+|.)',
        )
    ),
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w:?$\\-])SERVICE(?![\w:-])", re.IGNORECASE)


def normalise(text: str) -> tuple[str, bool]:
    """The one text of a query that rdflib and Oxigraph read alike, and whether it names SERVICE.

    Code point escapes are expanded once, as SPARQL 1.1 (19.2) says; comments are removed, each ending at the
    first line terminator any engine knows; every line terminator outside strings becomes a line feed, and a
    carriage return inside a long string becomes its escape. What is left has no escape for rdflib to expand
    again and no carriage return for Oxigraph to end a comment at where rdflib does not.

    Returns:
        The text, and whether ``SERVICE`` stands in it as a keyword (outside strings and IRIs): a check of
        its own, beside the parser's.

    Raises:
        QueryError: On an escape of no character, or one that a second expansion would change again.
    """

    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(
                Problem(
                    "query",
                    None,
                    f"'{match.group(0)}' is not a Unicode character.",
                    "write a code point from U+0000 to U+10FFFF, not a surrogate.",
                )
            )
        return chr(code)

    text = _CODEPOINT.sub(expand, text)
    left = _ANY_CODEPOINT.search(text)
    if left:
        raise QueryError(
            Problem(
                "query",
                text.count("\n", 0, left.start()) + 1,
                f"'{left.group(0)}' is left after the escapes were expanded once, and engines differ on a second "
                "expansion.",
                "write the character itself, or a backslash as '\\\\' not followed by 'u' and hex digits.",
            )
        )
    out = []
    service = False
    for match in _LEXEME.finditer(text):
        kind, lexeme = match.lastgroup, match.group(0)
        if kind == "long":
            out.append(lexeme.replace("\r", "\\r"))
        elif kind == "eol":
            out.append("\n")
        elif kind != "comment":
            service = service or (kind == "code" and bool(_SERVICE.search(lexeme)))
            out.append(lexeme)
    return "".join(out), service


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
