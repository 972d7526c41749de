"""Safe YAML loading that remembers line numbers, for errors that name the line.

Only plain data is built (PyYAML's SafeLoader): a tag that tries to construct
a Python object, or anything but text, numbers, true/false, lists and
mappings (``!!binary``, ``!!set``, ``!!timestamp``...), is refused. Dates stay
strings, so that ``2022-06`` and ``2022-06-21`` reach the date parser as
written; numbers remember how they were written, so that a name like ``1:20``
or ``007`` is not turned into ``80`` or ``7``. Duplicate keys, which YAML
forbids but PyYAML silently overwrites, are refused.

Hostile input is refused early with the line it is on: aliases that would
expand into a huge document ("billion laughs"), an alias to the list or
mapping that holds it, nesting deeper than :data:`MAX_DEPTH`, lone surrogates
(``"\\ud800"``), control characters, bytes that are not UTF-8, and integers too
long for Python to read (over 4,300 digits).

A key written beside a ``<<: *base`` merge overrides the merged one, as YAML's
merge key says; only a key written twice by hand is a duplicate.

Files are read by :func:`read_text`, which opens regular files only (never a
device, a FIFO or a socket), up to :data:`MAX_FILE_BYTES`, and inside the
sources folder only (a symbolic link may point elsewhere in the folder, not out
of it).
"""

from __future__ import annotations

import re
import sys
from typing import Any

import yaml

try:
    from yaml._yaml import CParser

    _WITH_LIBYAML = True
except ImportError:  # PyYAML built without libyaml: the pure-Python loader reads everything
    CParser = object  # type: ignore[misc,assignment]
    _WITH_LIBYAML = False

from kg.core.errors import LoadError, Problem
from kg.core.sourcefile import MAX_FILE_BYTES as MAX_FILE_BYTES  # re-exported: kg's readers import them from here
from kg.core.sourcefile import read_text as read_text


class Mapping(dict):  # type: ignore[type-arg]
    """A YAML mapping that knows its own line and the line of each key."""

    line: int = 0
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """The line of ``key``, or of the mapping itself when the key is absent."""
        return self.lines.get(key, self.line)


MAX_DEPTH = 100
"""Lists and mappings nested deeper than this are refused (kg's files nest four levels at most)."""
MAX_ALIAS_NODES = 10_000
"""Aliases may repeat at most this many values in all (a few ``<<: *defaults`` merges are far below)."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_TAGS = ("null", "bool", "int", "float", "str", "seq", "map", "merge")


class Int(int):
    """A YAML integer that remembers how it was written: ``str()`` gives the text of the file."""

    source: str

    def __str__(self) -> str:
        return self.source


class Float(float):
    """A YAML float that remembers how it was written: ``str()`` gives the text of the file."""

    source: str

    def __str__(self) -> str:
        return self.source


_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][-+]?|[-+][1-9]?)?(?:[ ]+(?:#[^\r\n]*)?)?\r?")


class _Guarded:
    """Line-aware mappings, guarded against hostile YAML: the composer's hooks both loaders share."""

    path: str
    line_offset: int
    anchors: dict[str, yaml.Node]

    def _guard(self, path: str, line_offset: int) -> None:
        self.path = path
        self.line_offset = line_offset
        self.depth = 0
        self.deepest = 0  # the deepest nesting reached, for a message after the stack has unwound
        self.open_anchors: set[str] = set()
        self.sizes: dict[int, int] = {}
        self.repeated = 0
        self.merged: dict[int, int] = {}  # id of a flattened mapping node -> how many of its pairs came from merges

    def _line_of(self, mark: Any) -> int:
        return mark.line + 1 + self.line_offset

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            node = self.anchors.get(event.anchor or "")
            if event.anchor in self.open_anchors:
                raise LoadError(
                    Problem(
                        self.path,
                        self._line_of(event.start_mark),
                        f"the alias '*{event.anchor}' is inside the value it refers to, so it never ends.",
                        f"remove '*{event.anchor}' or refer to another anchor; write the data out instead.",
                    )
                )
            if node is not None:
                self.repeated += self._size(node)
                if self.repeated > MAX_ALIAS_NODES:
                    raise LoadError(
                        Problem(
                            self.path,
                            self._line_of(event.start_mark),
                            f"the aliases ('*{event.anchor}' and those before it) would repeat more than "
                            f'{MAX_ALIAS_NODES} values (a "billion laughs" document).',
                            "write the data out instead of nesting anchors and aliases (&name, *name).",
                        )
                    )
            return super().compose_node(parent, index)  # type: ignore[misc]
        if self.depth >= MAX_DEPTH:
            raise LoadError(
                Problem(
                    self.path,
                    self._line_of(event.start_mark),
                    f"lists and mappings are nested more than {MAX_DEPTH} deep.",
                    "flatten the data: kg's files need a few levels only.",
                )
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.open_anchors.add(anchor)
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self.depth -= 1
            self.open_anchors.discard(anchor or "")

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Resolve the ``<<`` merge keys of a mapping node, once, by the rules of YAML's merge key.

        A key written in the mapping overrides a merged one; of several mappings merged
        (``<<: [*a, *b]``), the first that has a key gives it. The merged pairs come first in
        ``node.value``, one per key; :attr:`merged` remembers how many there are. (PyYAML's own
        version lets a merged key win over one written beside it when the key is one character.)
        """
        if id(node) in self.merged:
            return
        sources: list[yaml.Node] = []
        written = []
        for key_node, value_node in node.value:
            if key_node.tag != "tag:yaml.org,2002:merge":
                written.append((key_node, value_node))
                continue
            found = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in found:
                if not isinstance(source, yaml.MappingNode):
                    raise LoadError(
                        Problem(
                            self.path,
                            self._line_of(source.start_mark),
                            f"'<<' merges mappings, but this is {'a list' if source.id == 'sequence' else 'a value'}.",
                            "write '<<: *name' with the anchor of a mapping, or '<<: [*a, *b]'.",
                        )
                    )
                self.flatten_mapping(source)
                sources.append(source)
        chosen: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
        for source in sources:
            own: dict[Any, tuple[yaml.Node, yaml.Node]] = {}  # the source's pairs, its later ones winning
            for key_node, value_node in source.value:
                identity = (key_node.tag, key_node.value) if isinstance(key_node, yaml.ScalarNode) else id(key_node)
                own[identity] = (key_node, value_node)
            for identity, pair in own.items():
                chosen.setdefault(identity, pair)
        merged = list(chosen.values())
        node.value = merged + written
        self.merged[id(node)] = len(merged)

    def compose_scalar_node(self, anchor: Any) -> yaml.ScalarNode:
        node: yaml.ScalarNode = super().compose_scalar_node(anchor)  # type: ignore[misc]
        if _SURROGATE.search(node.value):
            try:  # "\ud83d\ude00": a UTF-16 pair written as two escapes is one character
                node.value = node.value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            except UnicodeDecodeError:
                found = _SURROGATE.search(node.value)
                code = ord(found.group()) if found else 0xD800
                raise LoadError(
                    Problem(
                        self.path,
                        self._line_of(node.start_mark),
                        f"the escape '\\u{code:04x}' is half of a UTF-16 pair (a lone surrogate), not a character.",
                        "write the character itself, or its code point as '\\U0001F600' (8 hex digits).",
                    )
                ) from None
        return node

    def _size(self, node: yaml.Node) -> int:
        """How many values ``node`` stands for once every alias inside it is written out."""
        known = self.sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._size(item) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            size = 1 + sum(self._size(k) + self._size(v) for k, v in node.value)
        else:
            size = 1
        self.sizes[id(node)] = size
        return size


class _Loader(_Guarded, yaml.SafeLoader):
    """SafeLoader with line-aware mappings, without the timestamp resolver, and guarded against hostile YAML."""

    def __init__(self, stream: str, path: str, line_offset: int):
        super().__init__(stream)
        self._guard(path, line_offset)


class _FastLoader(_Guarded, yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """The same loader over libyaml's parser (issue 16: the pure-Python scanner was 8% of a build).

    Only the events come from C; composing (with its guards), resolving and constructing are
    :class:`_Loader`'s. A document it cannot read is read again by :class:`_Loader`, whose messages
    kg shows.
    """

    def __init__(self, stream: str, path: str, line_offset: int):
        CParser.__init__(self, stream)
        self.text = stream
        self._flow = 0  # depth of flow collections ([...], {...}) around the next event
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._guard(path, line_offset)

    def get_event(self) -> Any:
        """The next event; a tag (rare in kg's files, and read a little differently by libyaml) hands the
        document to the pure-Python loader."""
        event = CParser.get_event(self)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) and event.flow_style:
            self._flow += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)) and self._flow:
            self._flow -= 1
        elif isinstance(event, yaml.ScalarEvent) and self._flow and not event.style and "?" in event.value:
            # PyYAML ends a plain scalar at "?" inside [...] or {...} ("{0?}" is an error); libyaml does not
            raise yaml.YAMLError("a '?' in a flow collection: read by the pure-Python loader")
        if getattr(event, "tag", None) is not None:
            raise yaml.YAMLError("a tag: read by the pure-Python loader")
        if getattr(event, "style", None) in ("|", ">"):  # libyaml lets a comment touch the header: PyYAML does not
            start = event.start_mark.index  # type: ignore[union-attr]
            end = self.text.find("\n", start)
            if not _BLOCK_HEADER.fullmatch(self.text, start, len(self.text) if end < 0 else end):
                raise yaml.YAMLError("a block scalar's header: read by the pure-Python loader")
        return event


class _ComposedInC(_Guarded, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """The same loader with libyaml's own composer too, for a document none of the guards concern.

    :func:`load_yaml` hands it only text without what :class:`_FastLoader`'s composer guards or hands
    on (:func:`composed_in_c`: no anchor, alias, merge, tag, escape or block scalar, no ``?`` with a flow
    collection), so that only the depth is left to check (:meth:`get_single_data`); constructing is
    :class:`_Loader`'s (issue 16: Python's composer was a quarter of making a unit).
    """

    def __init__(self, stream: str, path: str, line_offset: int):
        CParser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._guard(path, line_offset)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """A node's tag, as the resolver gives it; a short scalar's from a memo (the same keys and values
        come in every file: a fifteenth of making a unit went to the resolver's look-ups)."""
        if kind is not yaml.ScalarNode or len(value) > _MEMO_CHARS:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = _TAGS.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_TAGS) >= _MEMO_SIZE:
                _TAGS.clear()
            _TAGS[key] = tag
        return tag

    def get_single_data(self) -> Any:
        """The document's data; an error when lists and mappings nest deeper than :data:`MAX_DEPTH`."""
        node = self.get_single_node()
        if node is None:
            return None
        below = [(node, 1)]
        while below:  # a node at level k is composed at depth k - 1: _Guarded refuses level MAX_DEPTH + 1
            parent, level = below.pop()
            if level > MAX_DEPTH:
                raise yaml.YAMLError("nested too deeply: read by the pure-Python loader, for its message")
            if isinstance(parent, yaml.SequenceNode):
                below.extend((child, level + 1) for child in parent.value)
            elif isinstance(parent, yaml.MappingNode):
                below.extend((child, level + 1) for pair in parent.value for child in pair)
        return self.construct_document(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A node's value: a string or a list directly, anything else by :class:`_Loader`'s constructors.

        Without aliases no node is shared or holds itself, so SafeConstructor's bookkeeping for those
        is not needed (a list is built whole rather than filled in later: the same data).
        """
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.construct_object(child) for child in node.value]
        return super().construct_object(node, deep)


_STR = "tag:yaml.org,2002:str"
# A plain scalar's tag depends only on its text and how it was written (the resolvers are the class's, fixed)
_TAGS: dict[tuple[str, Any], str] = {}
_MEMO_CHARS = 40  # longer texts (quotes) rarely come twice
_MEMO_SIZE = 50_000
# What only the Python composer's guards or _FastLoader's hand-offs deal with: an anchor or alias (& *),
# a merge (<<), a tag (!), an escape (a backslash) and a block scalar (| >); and a "?" in a flow collection.
_COMPOSER_ONLY = re.compile(r"[&*!\\|>]|<<")


def composed_in_c(text: str) -> bool:
    """Whether :func:`load_yaml` reads ``text`` with libyaml's composer (:class:`_ComposedInC`)."""
    return not _COMPOSER_ONLY.search(text) and not ("?" in text and ("[" in text or "{" in text))


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    merged = loader.merged[id(node)]
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1 + loader.line_offset
    mapping.lines = {}
    written: set[Any] = set()  # keys written in this mapping (not merged in), which must be unique
    for index, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1 + loader.line_offset
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise LoadError(Problem(loader.path, line, "a mapping key must be plain text.", "write the key as text."))
        if index >= merged:  # a key beside '<<: *base' overrides the merged one, as YAML's merge key says
            if key in written:
                raise LoadError(
                    Problem(
                        loader.path,
                        line,
                        f"the key '{key}' appears twice in one mapping (first on line {mapping.lines[key]}).",
                        "keep one of them; YAML keys are unique.",
                    )
                )
            written.add(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> Int:
    try:
        number = Int(loader.construct_yaml_int(node))
        int.__repr__(number)  # Python refuses to write an integer of over 4,300 digits (sys.set_int_max_str_digits)
    except ValueError:
        raise LoadError(
            Problem(
                loader.path,
                node.start_mark.line + 1 + loader.line_offset,
                f"the number '{node.value[:12]}…' is {len(node.value)} characters long, more digits than Python "
                "reads as an integer (4,300).",
                "write it in quotes to keep it as text, or shorten it.",
            )
        ) from None
    number.source = node.value
    return number


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> Float:
    number = Float(loader.construct_yaml_float(node))
    number.source = node.value
    return number


def _refuse_tag(loader: _Loader, node: yaml.Node) -> None:
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    raise yaml.constructor.ConstructorError(
        None, None, f"the tag '{tag}' asks for something other than plain data", node.start_mark
    )


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)  # type: ignore[arg-type]
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)  # type: ignore[arg-type]
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)  # type: ignore[arg-type]
for _tag in list(_Loader.yaml_constructors):
    if _tag is not None and _tag.removeprefix("tag:yaml.org,2002:") not in _PLAIN_TAGS:
        _Loader.add_constructor(_tag, _refuse_tag)  # type: ignore[arg-type]
_Loader.add_constructor(None, _refuse_tag)  # type: ignore[arg-type]
for _loader in (_FastLoader, _ComposedInC):
    _loader.yaml_constructors = _Loader.yaml_constructors
    _loader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def load_yaml(text: str, path: str, line_offset: int = 0) -> Any:
    """Parse YAML text safely.

    Args:
        text: The YAML document.
        path: The file it came from, for messages.
        line_offset: Lines before ``text`` in the file (front matter starts after ``---``).

    Returns:
        Plain data: :class:`Mapping`, list, str, int, float, bool or None.

    Raises:
        LoadError: On a syntax error, a tag other than plain data, a duplicate key, a character
            YAML does not allow, or hostile nesting or aliases.
    """
    # Tabs: libyaml reads some that PyYAML refuses, and PyYAML's reading is the rule.
    if _WITH_LIBYAML and "\t" not in text and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        fast = (_ComposedInC if composed_in_c(text) else _FastLoader)(text, path, line_offset)
        try:
            return fast.get_single_data()
        except Exception:
            pass
        finally:
            fast.dispose()
    try:
        loader = _Loader(text, path, line_offset)
    except yaml.reader.ReaderError as exc:  # the reader checks every character first
        raise _bad_character(exc, text, path, line_offset) from None
    try:
        return loader.get_single_data()
    except RecursionError:  # MAX_DEPTH stops nesting first, unless kg is called with little stack left
        raise LoadError(
            Problem(
                path,
                loader.line + 1 + line_offset,
                f"lists and mappings are nested too deeply to read here: {loader.deepest} levels reached "
                f"Python's recursion limit ({sys.getrecursionlimit()} calls).",
                f"flatten the data: kg's files need a few levels only (up to {MAX_DEPTH} are read).",
            )
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            what += f" (it began on line {exc.context_mark.line + 1 + line_offset})"
        fix = "check the indentation and quoting near that line; a value with ': ' or '#' needs quotes."
        if isinstance(exc, yaml.constructor.ConstructorError):
            fix = "remove the tag: kg reads plain YAML data only (strings, numbers, lists, mappings)."
        raise LoadError(Problem(path, line, f"invalid YAML: {what}.", fix)) from exc
    except yaml.YAMLError as exc:
        raise LoadError(Problem(path, None, f"invalid YAML: {exc}.", "check the file's syntax.")) from exc
    finally:
        loader.dispose()


def _bad_character(exc: yaml.reader.ReaderError, text: str, path: str, line_offset: int) -> LoadError:
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    line = text.count("\n", 0, exc.position) + 1 + line_offset
    return LoadError(
        Problem(
            path,
            line,
            f"the character U+{code:04X} is not allowed in YAML (a control character, often invisible).",
            "delete it; if the text needs it, write it as an escape inside double quotes, "
            f'e.g. "\\x{code:02x}" (or "\\u{code:04x}").',
        )
    )
