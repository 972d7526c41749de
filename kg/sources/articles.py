"""Source articles (``sources/articles/<slug>.md``): text with a YAML front-matter header."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kg.core.dates import DateSpec, parse_date
from kg.core.errors import Problem
from kg.core.text import find_normalised, normalise_quote
from kg.core.yamlio import load_yaml, read_text
from kg.sources.fields import check_mapping, text_field

_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
REQUIRED = ("title", "outlet", "published")
OPTIONAL = ("url", "language", "date_note", "author")
# Bidirectional formatting characters, which RFC 3987 (section 4.1) forbids in IRIs: they make a link
# display as another address.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _url_problem(url: str) -> str | None:
    """Why ``url`` cannot be an article's address, or None when it is an http(s) URL that is also a valid IRI.

    Only ``http`` and ``https`` are accepted (so never ``javascript:``, ``data:`` or ``file:``, in any case
    and with any whitespace or control character slipped in): the URL becomes an IRI in the graph and a
    link on the network page.
    """
    for char in url:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI:
            return f"contains U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"
        if char in '<>"{}|\\^`':
            return f"contains '{char}'"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"starts with '{parts.scheme}:'" if parts.scheme else "has no scheme"
    if not parts.netloc:
        return "has no host"
    return None


def _printable(text: str) -> str:
    """The text with its unprintable characters escaped (``\\t``, ``\\x00``, ``\\u202e``), for a message."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


@dataclass(frozen=True)
class Article:
    """One source article."""

    slug: str
    path: str
    title: str
    outlet: str
    published: DateSpec
    url: str | None
    language: str | None
    date_note: str | None
    author: str | None
    body: str

    @property
    def text(self) -> str:
        """Everything a quote may come from: the headline, then the body."""
        return f"{self.title}\n\n{self.body}"

    def find(self, quote: str) -> str | None:
        """The passage ``quote`` stands for, as the article has it (:func:`kg.core.text.find_verbatim`), or None.

        A quote lies within the headline or within the body, never across the two: the end of the
        headline and the start of the text are not one sentence.
        """
        needle = normalise_quote(quote)
        return find_normalised(self.title, needle) or find_normalised(self.body, needle)


def read_article(
    path: Path, shown: str, problems: list[Problem], root: Path | None = None, raw: str | None = None
) -> Article | None:
    """Read and check one article.

    Args:
        path: The ``.md`` file.
        shown: The path as shown in messages.
        problems: Where problems are appended.
        root: The sources folder, which the file must lie in (see :func:`kg.core.yamlio.read_text`).
        raw: The file's text when the caller has read it already (with ``read_text``, so checked as above).

    Returns:
        The article, or None when it has problems.

    Raises:
        LoadError: When the file cannot be read, is not UTF-8 text or its front matter is not YAML.
    """
    if raw is None:
        raw = read_text(path, shown, root)
    if path.stem in (".", ".."):
        problems.append(
            Problem(
                shown,
                None,
                f"the file name makes the slug '{path.stem}', a '{path.stem}' step of a path in the source's IRI.",
                "name the file after the article, e.g. 'outlet-topic.md'.",
            )
        )
        return None
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(
            Problem(
                shown,
                1,
                "the article has no front matter.",
                "start the file with a '---' line, then 'title:', 'outlet:', 'published:' "
                "(and 'url:', 'language:'), then a closing '---' line, then the text.",
            )
        )
        return None
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        problems.append(
            Problem(shown, 1, "the front matter is not closed.", "add a '---' line after the header fields.")
        )
        return None
    data = load_yaml("\n".join(lines[1:end]), shown, line_offset=1)
    before = len(problems)
    meta = check_mapping(data, shown, 2, "the front matter", REQUIRED, OPTIONAL, problems)
    if meta is None:
        return None
    what = "the front matter"
    title = text_field(meta, "title", shown, what, problems)
    outlet = text_field(meta, "outlet", shown, what, problems)
    url = text_field(meta, "url", shown, what, problems)
    language = text_field(meta, "language", shown, what, problems)
    published_text = text_field(meta, "published", shown, what, problems)
    published = None
    if published_text:
        try:
            published = parse_date(published_text)
        except ValueError as exc:
            problems.append(
                Problem(
                    shown,
                    meta.line_of("published"),
                    f"{exc}.",
                    "give the publication date, or the period it lies in (e.g. 2022-06-22/2022-12-31) "
                    "when the exact day is unknown.",
                )
            )
    why = _url_problem(url) if url is not None else None
    if url is not None and why:
        problems.append(
            Problem(
                shown,
                meta.line_of("url"),
                f"'{_printable(url)}' is not an http(s) URL: it {why}.",
                "give the article's web address starting with https:// (percent-encode spaces, control "
                "characters and <>\"{}|\\^`), or leave 'url' out.",
            )
        )
    if language is not None and not _LANGUAGE.fullmatch(language):
        problems.append(
            Problem(
                shown,
                meta.line_of("language"),
                f"'{language}' is not a language tag.",
                "use a BCP 47 tag such as 'en', 'my' or 'zh-Hans'.",
            )
        )
    if len(problems) > before or not (title and outlet and published):
        return None
    body = "\n".join(lines[end + 1 :]).strip("\n")
    return Article(
        path.stem,
        shown,
        title,
        outlet,
        published,
        url,
        language,
        text_field(meta, "date_note", shown, what, problems),
        text_field(meta, "author", shown, what, problems),
        body,
    )
