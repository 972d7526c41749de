"""More bad input (issue 12, items 7-12 and 19): refused with file, line and fix, output kept, never a hang."""

from __future__ import annotations

import errno
import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import snapshot, write_article, write_yaml
from rdflib import Graph
from test_bad_input import ACTORS, ARTICLE, CLAIMS, _edit
from test_hostile import _cli_build

from kg.core.dates import parse_date
from kg.core.errors import LoadError, OutputError, SourceError
from kg.core.ontology import KG
from kg.core.yamlio import MAX_DEPTH, MAX_FILE_BYTES, load_yaml
from kg.graph import publish
from kg.graph.build import BuildResult, build


def _refused(src: Path, out: Path, code: int, *expected: str) -> str:
    """``kg build`` of ``src`` as it is now: refused with ``code`` and the ``expected`` texts; ``out`` as it was."""
    before = snapshot(out)
    result = _cli_build(src, out)
    assert result.exit_code == code, result.output
    for text in expected:
        assert text in result.output, result.output
    assert snapshot(out) == before
    return result.output


_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # reading /dev/zero to the end must not take the machine
"""


def _in_child(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Python ``code`` in a process of its own, with a time and memory limit: a hang fails the test, not the suite."""
    try:
        return subprocess.run(
            [sys.executable, "-c", _LIMITED + code, *args], capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail("did not end within 60 s")


def _build_in_child(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """``kg build`` in a process of its own (:func:`_in_child`)."""
    code = "from kg.cli import main\nmain(['build', '--sources', sys.argv[1], '--output', sys.argv[2]])\n"
    return _in_child(code, str(src), str(out))


# --- Item 7: integers too long for Python ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "old", "line"),
    [(ACTORS, "name: Daw Hnin", 24), (CLAIMS, "confidence: 0.9", 13), (ARTICLE, "outlet: Valley Times", 3)],
)
def test_an_integer_longer_than_python_reads_is_refused_with_its_line(tiny, tmp_path, rel, old, line):
    """issue 12, item 7: a ValueError traceback before (Python's 4,300-digit limit)."""
    out = tmp_path / "out"
    build(tiny, out)
    _edit(tiny, rel, old, old.split(":")[0] + ": " + "7" * 5000)
    text = _refused(tiny, out, 2, f"{Path(rel).name}:{line}: the number '777777777777…' is 5000 characters long")
    assert "(4,300)" in text and "write it in quotes to keep it as text" in text


def test_a_long_integer_in_quotes_is_text():
    """issue 12, item 7: the fix the message gives works, and a long hexadecimal number is refused too."""
    assert load_yaml(f"name: '{'7' * 5000}'", "f") == {"name": "7" * 5000}
    with pytest.raises(LoadError, match=r"^f:2: the number '0x1111111111…' is 5002 characters long"):
        load_yaml("a: 1\nb: 0x" + "1" * 5000, "f")


# --- Item 8: only regular files, of a bounded size, inside the sources folder ----------------------


def test_an_article_linked_to_dev_zero_is_refused_at_once(tiny, tmp_path):
    """issue 12, item 8: a symbolic link to /dev/zero was read without end."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    (tiny / "articles" / "z.md").symlink_to("/dev/zero")
    run = _build_in_child(tiny, tmp_path / "out")
    assert run.returncode == 2, run.stderr
    assert "articles/z.md: leads (through a symbolic link) to /dev/zero, outside the sources folder" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_device_is_refused_as_not_a_regular_file():
    """issue 12, item 8: where a device is reached without a link out of the sources (a bind mount), it is not read."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    code = (
        "from pathlib import Path\nfrom kg.core.errors import LoadError\nfrom kg.core.yamlio import read_text\n"
        "try:\n    read_text(Path('/dev/zero'), 'z.md')\nexcept LoadError as exc:\n    print(exc)\n"
    )
    run = _in_child(code)
    assert run.stdout.strip() == (
        "z.md: is a character device (such as /dev/zero); kg reads only regular files as sources. Fix: replace it "
        "with the file itself (a symbolic link to a file inside the sources folder is fine)."
    ), run.stderr


def test_a_fifo_as_an_article_is_refused_without_waiting_for_a_writer(tiny, tmp_path):
    """issue 12, item 8: a named pipe (FIFO) hung the build."""
    os.mkfifo(tiny / "articles" / "pipe.md")
    run = _build_in_child(tiny, tmp_path / "out")
    assert run.returncode == 2, run.stderr
    assert "articles/pipe.md: is a named pipe (FIFO); kg reads only regular files as sources." in run.stderr


@pytest.mark.parametrize("rel", [ARTICLE, CLAIMS, ACTORS])
def test_a_symbolic_link_out_of_the_sources_is_refused(tiny, tmp_path, rel):
    """issue 12, item 8: a quote from a file outside the sources tree reached the graph."""
    out = tmp_path / "out"
    build(tiny, out)
    outside = tmp_path / "elsewhere" / Path(rel).name
    outside.parent.mkdir()
    shutil.move(tiny / rel, outside)
    (tiny / rel).symlink_to(outside)
    text = _refused(tiny, out, 2, f"{Path(rel).name}: leads (through a symbolic link) to {outside}, outside")
    assert "kg follows symbolic links only to files inside it" in text


def test_a_symbolic_link_to_a_folder_whose_name_starts_as_the_sources_is_refused(tiny, tmp_path):
    """A sibling folder "sources-old" is outside "sources", though its path starts with it."""
    out = tmp_path / "out"
    build(tiny, out)
    outside = tiny.parent / f"{tiny.name}-old" / Path(ARTICLE).name
    outside.parent.mkdir()
    shutil.move(tiny / ARTICLE, outside)
    (tiny / ARTICLE).symlink_to(outside)
    _refused(tiny, out, 2, f"{Path(ARTICLE).name}: leads (through a symbolic link) to {outside}, outside")


def test_a_symbolic_link_inside_the_sources_is_followed(tiny, tmp_path):
    """issue 12, item 8: a link that stays in the sources folder is read like the file."""
    kept = tiny / "texts" / "tiny-report.md"
    kept.parent.mkdir()
    shutil.move(tiny / ARTICLE, kept)
    (tiny / ARTICLE).symlink_to(Path("..") / "texts" / "tiny-report.md")
    assert build(tiny, tmp_path / "out").summary().startswith("1 article, 7 actors, 6 relations, 6 claims")


def test_a_file_larger_than_the_cap_is_refused_with_the_cap(tiny, tmp_path):
    """issue 12, item 8: a source file is read up to a size cap, which the message states."""
    out = tmp_path / "out"
    build(tiny, out)
    with (tiny / ARTICLE).open("r+b") as handle:  # sparse: no disk used
        handle.truncate(MAX_FILE_BYTES + 1)
    _refused(tiny, out, 2, f"tiny-report.md: is larger than {MAX_FILE_BYTES / 1e6:g} MB, the most kg reads")


# --- Item 9: names that differ only by Unicode normalisation ----------------------------------------

NFC, NFD = "caf\u00e9", "cafe\u0301"


def test_two_articles_whose_names_differ_only_by_normalisation_are_refused(tiny, tmp_path):
    """issue 12, item 9: NFC and NFD 'café.md' merged silently into one source with two headlines."""
    out = tmp_path / "out"
    build(tiny, out)
    for name, title in ((NFC, "First"), (NFD, "Second")):
        write_article(tiny / "articles" / f"{name}.md", "Kaung Holdings operates the quarry.", title=title)
    if len(list((tiny / "articles").glob("caf*.md"))) != 2:
        pytest.skip("this file system stores one of the two names only")
    text = _refused(tiny, out, 1, f"articles/{NFC}.md: has the same name as ", f"articles/{NFD}.md")
    assert "('caf\\xe9.md' and 'cafe\\u0301.md')" in text and "rename or delete one of the two files" in text


def test_two_claims_files_whose_names_differ_only_by_normalisation_are_refused(tiny, tmp_path):
    """issue 12, item 9: the claims files are held to the same rule, with both names in the message."""
    shutil.move(tiny / ARTICLE, tiny / "articles" / f"{NFC}.md")
    shutil.move(tiny / CLAIMS, tiny / "claims" / f"{NFC}.yaml")
    shutil.copy(tiny / "claims" / f"{NFC}.yaml", tiny / "claims" / f"{NFD}.yaml")
    with pytest.raises(SourceError) as caught:
        build(tiny, tmp_path / "out")
    text = str(caught.value)
    assert f"claims/{NFC}.yaml: has the same name as " in text and f"claims/{NFD}.yaml" in text, text


def test_a_claims_file_finds_its_article_whatever_the_normalisation_of_its_name(tiny, tmp_path):
    """issue 12, item 9: one name in two encodings is one slug (a Mac writes file names in NFD)."""
    shutil.move(tiny / ARTICLE, tiny / "articles" / f"{NFD}.md")
    shutil.move(tiny / CLAIMS, tiny / "claims" / f"{NFC}.yaml")
    result = build(tiny, tmp_path / "out")
    assert result.summary().startswith("1 article, 7 actors, 6 relations, 6 claims, 0 warnings")


# --- Item 10: an empty end of a period is open -------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "same_as", "earliest", "latest"),
    [
        ("2022-06-22/", "2022-06-22/..", "2022-06-22", None),
        ("/2022-03", "../2022-03", None, "2022-03-31"),
        ("2022/", "2022/..", "2022-01-01", None),
    ],
)
def test_an_empty_end_of_a_period_is_open_like_two_dots(tiny, tmp_path, written, same_as, earliest, latest):
    """issue 12, item 10: '2022-06-22/' gave kg:latest 2032-06-22 and '/2022-03' kg:earliest 2012-03-31."""
    date, other = parse_date(written), parse_date(same_as)
    assert (date.earliest, date.latest, date.precision) == (other.earliest, other.latest, other.precision)
    _edit(tiny, CLAIMS, "date: 2023-03\n", f"date: '{written}'\n")
    build(tiny, tmp_path / "out")
    graph = Graph().parse(tmp_path / "out" / "graph.nt", format="nt")
    [claim] = [s for s, o in graph.subject_objects(KG.date) if str(o) == written]
    assert [str(o) for o in graph.objects(claim, KG.earliest)] == ([earliest] if earliest else [])
    assert [str(o) for o in graph.objects(claim, KG.latest)] == ([latest] if latest else [])


# --- Item 11: a full disk -----------------------------------------------------------------------------


@pytest.fixture()
def small_disk(tmp_path):
    """A 2 MB tmpfs (skipped where this process may not mount one)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if not shutil.which("mount") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:  # a build's detached deleting process may still hold it a moment: then detached (lazy)
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_is_a_clear_message_with_its_own_exit_code_and_the_last_build_stays(tiny, small_disk):
    """issue 12, item 11: a traceback and exit code 1 ("invalid sources") before."""
    out = small_disk / "out"
    build(tiny, out)
    before = snapshot(out)
    _edit(tiny, ARTICLE, "title: ", "title: " + "word " * 120_000)  # 600 kB in each of five files: over 2 MB
    result = _cli_build(tiny, out)
    assert result.exit_code == 3, result.output
    assert re.search(r"Error: .*out: no space left on device while writing .*; nothing was published", result.output)
    assert "Fix: free space on that disk, or choose another --output folder." in result.output
    assert snapshot(out) == before
    builds = [p.name for p in (out / ".kg" / "builds").iterdir()]
    assert builds == [Path(os.readlink(out / ".kg" / "current")).name]  # the failed build's folder is gone


def test_an_output_that_cannot_be_written_is_an_output_error(tiny, tmp_path, monkeypatch):
    """issue 12, item 11: any other refusal of the system (here EACCES) gets the same exit code and its reason."""
    out = tmp_path / "out"
    build(tiny, out)
    before = snapshot(out)

    def refuse(path: Path, text: str) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(publish, "write_file", refuse)
    _edit(tiny, ARTICLE, "title: ", "title: Revised ")  # a build with nothing to change writes nothing
    # The first file written with write_file: a graph file, or the manifest when the files are patched.
    with pytest.raises(OutputError, match=r"cannot write .*(graph|manifest)\.\w+ \(Permission denied\); nothing was"):
        build(tiny, out)
    assert _cli_build(tiny, out).exit_code == 3
    assert snapshot(out) == before


# --- Item 12: nesting, merge keys, confidence as written, quotes within one part -------------------


def test_nesting_that_reaches_pythons_recursion_limit_says_so_with_its_line():
    """issue 12, item 12: "maximum recursion depth exceeded" with no line, when called with little stack left."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 120)
    try:
        with pytest.raises(LoadError) as caught:
            load_yaml("a: 1\nb: " + "[" * 60 + "]" * 60, "deep.yaml")
    finally:
        sys.setrecursionlimit(limit)
    problem = caught.value.problems[0]
    assert problem.line == 2
    assert re.fullmatch(r"lists and mappings are nested too deeply to read here: \d+ levels reached Python's "
                        r"recursion limit \(\d+ calls\)\.", problem.message), problem.message  # fmt: skip
    assert f"up to {MAX_DEPTH} are read" in problem.fix


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("base: &b {a: 1, b: 2}\nc:\n  <<: *b\n  a: 3\n", {"a": 3, "b": 2}),
        ("x: &x {a: 0, q: 1}\ny: &y {<<: *x, a: 1}\nc: {<<: *y}\n", {"a": 1, "q": 1}),
        ("x: &x {a: 0}\ny: &y {a: 1, b: 1}\nc: {<<: [*x, *y], b: 2}\n", {"a": 0, "b": 2}),
    ],
    ids=["override", "merged mapping keeps its override", "first of a list wins"],
)
def test_a_key_beside_a_merge_overrides_it(text, expected):
    """issue 12, item 12: a key overriding '<<: *base' was reported as a duplicate (it is YAML's merge key)."""
    assert load_yaml(text, "f")["c"] == expected


def test_a_key_written_twice_beside_a_merge_is_still_a_duplicate():
    """issue 12, item 12: only keys written by hand twice are duplicates."""
    with pytest.raises(LoadError, match=r"^f:5: the key 'a' appears twice in one mapping \(first on line 4\)"):
        load_yaml("base: &b {a: 1}\nc:\n  <<: *b\n  a: 2\n  a: 3\n", "f")


def test_claims_may_share_fields_through_a_merge_and_override_them(tiny, tmp_path):
    """issue 12, item 12: the case the review tried, in a claims file that kg build reads."""
    _edit(
        tiny,
        CLAIMS,
        "  - subject: state-army\n    predicate: owns",
        "  - &owned\n    subject: state-army\n    predicate: owns",
    )
    text = (tiny / CLAIMS).read_text(encoding="utf-8")
    text += "  - <<: *owned\n    confidence: 0.5\n    claimant: Valley Times\n"
    (tiny / CLAIMS).write_text(text, encoding="utf-8")
    result = build(tiny, tmp_path / "out")
    assert result.summary().startswith("1 article, 7 actors, 6 relations, 7 claims")


@pytest.mark.parametrize(
    ("written", "shown"),
    [("1.50", "1.50"), ("1.0e+1", "1.0e+1"), ("0x10", "0x10"), ("high", "'high'"), ("[1]", "a list")],
)
def test_a_bad_confidence_is_shown_as_written(tiny, tmp_path, written, shown):
    """issue 12, item 12: confidence messages printed a normalised value (1.5 for 1.50, 10.0 for 1.0e+1)."""
    _edit(tiny, CLAIMS, "confidence: 0.9", f"confidence: {written}")
    with pytest.raises(SourceError) as caught:
        build(tiny, tmp_path / "out")
    assert f"tiny-report.yaml:13: confidence {shown} is not a number from 0 to 1." in str(caught.value)


def test_a_quote_across_the_headline_and_the_text_is_refused(tiny, tmp_path):
    """issue 12, item 12: a quote spanning the headline and the body was accepted."""
    _edit(
        tiny,
        CLAIMS,
        "quote: A local resistance group seized",
        "quote: run by army-owned firm A local resistance group seized",
    )
    with pytest.raises(
        SourceError, match=r"tiny-report\.yaml:\d+: the quote is not in .*from the headline or from the text"
    ):
        build(tiny, tmp_path / "out")


def test_a_quote_from_the_headline_alone_is_accepted(tiny, tmp_path):
    """issue 12, item 12: the headline is still a place a quote may come from."""
    _edit(
        tiny,
        CLAIMS,
        "quote: A local resistance group seized the Hill 12 jade quarry",
        "quote: Defence force seizes jade quarry",
    )
    assert build(tiny, tmp_path / "out").claims == 6


# --- Item 19: counts in the summary -------------------------------------------------------------------


def test_the_build_summary_says_one_relation_and_one_claim(tmp_path):
    """issue 12, item 19: the build said "1 relations, 1 claims"."""
    src = tmp_path / "sources"
    write_yaml(
        src / "actors.yaml",
        {
            "actors": [
                {"id": "a", "name": "Kaung Holdings", "type": "Company"},
                {"id": "q", "name": "Hill quarry", "type": "Facility"},
            ]
        },
    )
    write_article(src / "articles" / "one.md", "Kaung Holdings operates Hill quarry.")
    write_yaml(
        src / "claims" / "one.yaml",
        {
            "claims": [
                {"subject": "a", "predicate": "operates", "object": "q", "quote": "Kaung Holdings operates Hill quarry"}
            ]
        },
    )
    result = _cli_build(src, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Built 1 article, 2 actors, 1 relation, 1 claim, 0 warnings." in result.output
    assert BuildResult(1, 1, 0, 2, ["w"]).summary() == "1 article, 1 actor, 0 relations, 2 claims, 1 warning"  # type: ignore[list-item]
