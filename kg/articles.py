"""Source articles (``sources/articles/<slug>.md``): text with a YAML front-matter header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kg.dates import DateSpec, parse_date
from kg.errors import LoadError, Problem
from kg.fields import check_mapping, text_field
from kg.yamlio import load_yaml

_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
REQUIRED = ("title", "outlet", "published")
OPTIONAL = ("url", "language", "date_note", "author")


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


def read_article(path: Path, shown: str, problems: list[Problem]) -> Article | None:
    """Read and check one article.

    Args:
        path: The ``.md`` file.
        shown: The path as shown in messages.
        problems: Where problems are appended.

    Returns:
        The article, or None when it has problems.

    Raises:
        LoadError: When the file is not UTF-8 text or its front matter is not YAML.
    """
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            Problem(shown, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start}).", "save the file as UTF-8.")
        ) from exc
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
    if url is not None:
        parts = urlsplit(url)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or any(c.isspace() or c in '<>"{}|\\^`' for c in url)
        ):
            problems.append(
                Problem(
                    shown,
                    meta.line_of("url"),
                    f"'{url}' is not an http(s) URL.",
                    "give the article's web address starting with https:// (percent-encode spaces and <>\"{}|\\^`), "
                    "or leave 'url' out.",
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
