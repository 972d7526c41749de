"""``kg query`` writes a SELECT's rows as they come (issue 16, "Results stream"): the same bytes as the
whole answer formatted at once, in bounded memory, and a clear error when the query fails mid-way."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, Namespace, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

from kg.cli import main
from kg.query.format import format_result, write_result
from kg.query.run import run_query
from kg.query.stream import run_lazily

ROOT = Path(__file__).resolve().parent.parent
EX = Namespace("https://example.org/")
ROWS = f"SELECT ?s ?p ?o ?n WHERE {{ ?s ?p ?o . OPTIONAL {{ ?s <{EX}n> ?n }} }}"  # some rows leave ?n unbound
# Values a writer must escape: quotes, commas, tabs, line breaks, markup, non-Latin text, a lone backslash.
HOSTILE = [
    'say "hi", then\tgo',
    "line one\nline two\r\n",
    "<b>&amp;</b> ]]>",
    "မြန်မာ 中文 ‮evil",
    "back\\slash",
    "",
    " ",
]


@pytest.fixture(scope="module")
def hostile_graph() -> Graph:
    """About 6,000 rows of every kind of term: IRIs, blank nodes, plain, language-tagged and typed literals."""
    graph = Graph()
    for i in range(1_000):
        subject = EX[f"actor/{i}"] if i % 7 else BNode(f"b{i}")
        graph.add((subject, EX.label, Literal(HOSTILE[i % len(HOSTILE)] + str(i))))
        graph.add((subject, EX.name, Literal(f"name {i}", lang=("en", "my", "zh-Hant")[i % 3])))
        graph.add((subject, EX.seen, Literal(f"2024-01-{i % 28 + 1:02d}", datatype=XSD.date)))
        graph.add((subject, EX.weight, Literal(f"0.{i % 9 + 1}", datatype=XSD.decimal)))
        graph.add((subject, EX.link, EX[f"actor/{(i * 31) % 1_000}"]))
        if i % 2:
            graph.add((subject, EX.n, Literal(i)))
    return graph


def _whole(result: Result, fmt: str) -> str:
    """The answer as kg wrote it before it streamed (kg 7ba96b4's format_result): every row first, then the text."""
    names = [str(v) for v in result.vars or []]
    rows = [[binding.get(Variable(n)) for n in names] for binding in result.bindings]
    if fmt == "tsv":
        from kg.query.format import _tsv_term

        return "\n".join(["\t".join(f"?{n}" for n in names)] + ["\t".join(map(_tsv_term, r)) for r in rows]) + "\n"
    if fmt == "json":
        out = []
        for row in rows:
            binding = {}
            for name, term in zip(names, row, strict=True):
                if isinstance(term, URIRef):
                    binding[name] = {"type": "uri", "value": str(term)}
                elif isinstance(term, BNode):
                    binding[name] = {"type": "bnode", "value": str(term)}
                elif term is not None:
                    value = {"type": "literal", "value": str(term)}
                    if term.language:
                        value["xml:lang"] = term.language
                    elif term.datatype and term.datatype != XSD.string:
                        value["datatype"] = str(term.datatype)
                    binding[name] = value
            out.append(binding)
        return json.dumps({"results": {"bindings": out}, "head": {"vars": names}}, ensure_ascii=False) + "\n"
    buffer = io.BytesIO()
    result.serialize(buffer, format=fmt, encoding="utf-8")
    text = buffer.getvalue().decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_streamed_rows_are_the_bytes_of_the_whole_answer(hostile_graph, fmt):
    expected = _whole(run_query(hostile_graph, ROWS), fmt)
    assert len(expected) > 300_000
    chunks: list[bytes] = []
    write_result(run_lazily(hostile_graph, ROWS), fmt, chunks.append, chunk=4_096)
    assert b"".join(chunks).decode("utf-8") == expected
    assert len(chunks) > 10, "written in many chunks, not at the end"
    assert max(map(len, chunks)) < len(expected) // 5, "no chunk holds much of the answer"
    assert format_result(run_lazily(hostile_graph, ROWS), fmt) == expected


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_the_first_chunk_is_written_before_the_last_row_is_read(hostile_graph, fmt):
    """Streaming itself: rows are pulled from Oxigraph as chunks go out, not all before the first one."""
    result = run_lazily(hostile_graph, ROWS)
    read = 0

    def counted(rows):
        nonlocal read
        for row in rows:
            read += 1
            yield row

    result.native = counted(result.native)  # type: ignore[attr-defined]
    seen_at: list[int] = []
    write_result(result, fmt, lambda chunk: seen_at.append(read), chunk=1_024)
    assert read == len(hostile_graph) > 5_000
    assert seen_at[0] <= 512, f"the first chunk went out after {seen_at[0]} of {read:,} rows"
    assert len(set(seen_at)) > 5, "and the next ones as more rows came"


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_kg_query_writes_what_format_result_gives(seed_output, seed_graph, fmt):
    """Through the command and its memory-capped child: the same bytes as the library's whole answer."""
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    done = CliRunner().invoke(main, ["query", "--graph", str(seed_output), "--format", fmt, query])
    assert done.exit_code == 0, done.output
    assert done.stdout_bytes == format_result(run_query(seed_graph, query), fmt, 60).encode("utf-8")
    assert fmt == "table" or done.stdout_bytes.decode("utf-8") == _whole(run_query(seed_graph, query), fmt)


def test_a_query_that_runs_out_of_memory_mid_way_says_its_output_is_incomplete(seed_output):
    """The last of 10,000 rows doubles a string 28 times: the rows before it are written, then the error."""
    first = 'IF(?a = 99 && ?b = 99, "abcdefghij", "")'
    chain = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(28))
    values = " ".join(str(i) for i in range(100))
    query = (
        f"SELECT ?a ?b ?n WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} "
        f"BIND({first} AS ?x0) {chain} BIND(STRLEN(?x28) AS ?n) }}"
    )
    done = CliRunner().invoke(
        main, ["query", "--graph", str(seed_output), "--memory-limit", "300", "--format", "csv", query]
    )
    assert done.exit_code == 1, done.output
    assert done.stdout_bytes.startswith(b"a,b,n\r\n"), done.stdout[:200]
    assert len(done.stdout_bytes) >= 65_536 and b"99,99," not in done.stdout_bytes
    assert "Error: The query needed more than 300 MB of memory" in done.stderr
    assert f"the {len(done.stdout_bytes):,} bytes of its result written before are incomplete." in done.stderr
    assert "Traceback" not in done.output


def test_a_large_answer_goes_through_in_bounded_memory(seed_output):
    """About 150 MB of JSON, from a child whose peak memory stays far below it: before, the child held
    the whole answer as one string (and its rows besides), and so did the command."""
    padding = "x" * 3_000
    query = f'SELECT * WHERE {{ ?s ?p ?o VALUES ?k {{ {" ".join(map(str, range(25)))} }} BIND("{padding}" AS ?pad) }}'
    wrapper = textwrap.dedent(
        """
        import resource, subprocess, sys
        process = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
        size = 0
        while chunk := process.stdout.read(1 << 20):
            size += len(chunk)
        print(process.wait(), size, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
        """
    )
    command = [sys.executable, "-m", "kg.cli", "query", "--graph", str(seed_output), "--format", "json", query]
    done = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, cwd=ROOT)
    code, size, peak_mb = map(int, done.stdout.split())
    assert code == 0, done.stderr
    assert size > 140 << 20, "the answer is larger than the bound: holding it whole would pass the bound"
    assert peak_mb < 120, f"kg query and its child peaked at {peak_mb} MB for {size >> 20} MB of output"


def test_a_reader_that_leaves_early_ends_kg_query_quietly(seed_output):
    """``kg query ... | head``: the reader closes the pipe after a line; kg stops its child and exits 0 with
    nothing on stderr, as it did before answers streamed (a broken pipe was a bare exit code 1)."""
    padding = "x" * 3_000
    query = f'SELECT * WHERE {{ ?s ?p ?o VALUES ?k {{ {" ".join(map(str, range(25)))} }} BIND("{padding}" AS ?pad) }}'
    command = [sys.executable, "-m", "kg.cli", "query", "--graph", str(seed_output), "--format", "csv", query]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"k,o,p,pad,s\r\n"
    process.stdout.close()
    assert process.wait(timeout=120) == 0
    with process.stderr:
        assert process.stderr.read() == b""
