"""The ``kg extract`` and ``kg eval`` commands (added to the ``kg`` group by kg.cli.commands)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.common import JOBS_OPTION, SOURCES_OPTION, _errors, _ontology


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@SOURCES_OPTION
@click.option("--dry-run", is_flag=True, help="Write nothing; print what would be proposed, per article.")
@JOBS_OPTION
@click.pass_context
@_errors
def extract_command(ctx: click.Context, paths: tuple[str, ...], sources: str, dry_run: bool, jobs: int | None) -> None:
    """Propose claims for articles, as draft claims files for a person to review.

    Each draft (sources/claims/<slug>.yaml, 'review: pending') gives per claim
    the quote, the whole sentence, the rule that fired and a confidence, and
    lists names not in the registry as proposed actors. A claims file marked
    'review: reviewed' is never overwritten: the relations that are new are
    reported instead. No network, no model.

    \b
    Example:
        kg extract sources/articles/new-report.md
        kg extract sources/articles/ --dry-run
        kg extract tests/realtext/articles/ --jobs 2 --dry-run
    """
    from kg.core.cores import cores
    from kg.extract import extract
    from kg.extract.draft import article_paths

    total = len(article_paths([Path(p) for p in paths]))
    shown = sys.stderr.isatty()  # a bar on a terminal only: piped output stays the drafts and summaries
    with click.progressbar(length=total, label="extracting", file=sys.stderr, show_pos=True, hidden=not shown) as bar:
        outcomes = extract(list(paths), sources, dry_run, _ontology(ctx), jobs or cores(), lambda _: bar.update(1))
    for outcome in outcomes:
        click.echo(outcome.summary())
        if dry_run or outcome.reviewed:
            claims = outcome.extraction.claims
            shown = (
                [c for c in claims if (c.subject, c.predicate, c.object) in set(outcome.new)]
                if outcome.reviewed
                else claims
            )
            for c in shown:
                click.echo(f"  {c.subject} {c.predicate} {c.object}  [{c.rule} {c.confidence:.2f}]  “{c.quote}”")
            for p in outcome.extraction.proposed:
                click.echo(f"  new actor? {p.name} ({p.type})")


@click.command("eval")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--gold",
    type=click.Path(file_okay=False, exists=True),
    help="Folder of gold claims files (default: FOLDER/gold or FOLDER/claims).",
)
@click.option(
    "--registry", type=click.Path(dir_okay=False, exists=True), help="Actor registry (default: FOLDER/actors.yaml)."
)
@click.option(
    "--extract-registry",
    type=click.Path(dir_okay=False, exists=True),
    help="Extract with this registry instead, as a researcher whose registry lacks the gold's actors would "
    "(e.g. sources/actors.yaml); extracted actors count as the gold's by their names.",
)
@click.option("--split", help="Score only the articles of this half of FOLDER/index.yaml (dev, heldout).")
@JOBS_OPTION
@click.pass_context
@_errors
def eval_command(
    ctx: click.Context,
    folder: str,
    gold: str | None,
    registry: str | None,
    extract_registry: str | None,
    split: str | None,
    jobs: int | None,
) -> None:
    """Score extraction against gold annotations: precision, recall, F1.

    Extracts from FOLDER/articles/*.md (without reading the gold) and compares
    the (subject, predicate, object) of each claim with the gold claims files
    (symmetric relations either way), overall and per predicate; lists misses
    and false alarms, and the targets (FOLDER/targets.yaml, or precision and
    recall 0.8). A folder with an index.yaml whose articles have a 'split'
    (tests/realtext: dev and heldout) is scored per half, the targets on the
    last (the held-out half). Exit code 0 when every target holds, 1 otherwise.

    \b
    Example:
        kg eval tests/extraction
        kg eval sources
        kg eval tests/realtext --extract-registry sources/actors.yaml
    """
    from kg.extract import evaluate

    result = evaluate(folder, gold, registry, _ontology(ctx), split, jobs, extract_registry)
    click.echo(result.report())
    if not result.met():
        ctx.exit(1)
