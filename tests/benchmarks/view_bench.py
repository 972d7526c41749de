"""Benchmark kg viz on synthetic graphs (issue 3): HTML write time and time to a stable, interactive page.

Not collected by pytest. Run from the repository's root:

    python tests/benchmarks/view_bench.py                 # 500, 5,000 and 20,000 actors, 3 runs each
    python tests/benchmarks/view_bench.py --sizes 5000 --runs 5
    python tests/benchmarks/view_bench.py --screenshot output/network.png   # also the seed graph, drawn

Each synthetic graph has N actors and 3N relations (one claim each), in kg's model. "write" is
kg.view.render.write_view on the loaded graph (reading the model, layout, HTML); "browser" is headless
Chromium from navigation to the page's first draw once settled, then a search answered (the page is
interactive). Both are medians, compared with the issue's 5 s targets.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from test_view import synthetic_graph  # noqa: E402
from test_view_browser import CHROMIUM, FLAGS  # noqa: E402

from kg.view.render import write_view  # noqa: E402

TARGET = 5.0


def _browser_time(context, path: Path) -> float:
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    start = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-ready]", timeout=300_000)
    page.fill("#kg-search", "Actor 1")
    page.wait_for_selector("#kg-results button")
    elapsed = time.perf_counter() - start
    drawn = page.evaluate("kgNetwork.body.nodeIndices.length")
    page.close()
    if len(requests) != 1:
        raise SystemExit(f"the page made requests: {requests[1:5]}")
    if not drawn:
        raise SystemExit("the page drew nothing")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, help="Also save a screenshot of the seed graph's page here.")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(Path(tmp, "profile")), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 900},
        )  # fmt: skip
        for size in args.sizes:
            start = time.perf_counter()
            graph = synthetic_graph(size)
            built = time.perf_counter() - start
            page = Path(tmp, f"network-{size}.html")
            writes = []
            for _ in range(args.runs):
                start = time.perf_counter()
                result = write_view(graph, page)
                writes.append(time.perf_counter() - start)
            loads = [_browser_time(context, page) for _ in range(args.runs)]
            rows.append(
                (size, result.edges, built, statistics.median(writes), statistics.median(loads), page.stat().st_size)
            )
            print(f"... {size} actors done", file=sys.stderr, flush=True)
        if args.screenshot:
            from kg.graph.build import build
            from kg.query.run import load_graph

            out = Path(tmp, "seed")
            build(ROOT / "sources", out)
            seed_page = write_view(load_graph(out), out / "network.html").path
            shot = context.new_page()
            shot.goto(seed_page.as_uri())
            shot.wait_for_selector("body[data-ready]")
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            shot.screenshot(path=str(args.screenshot))
        context.close()
    print(f"median of {args.runs} runs; targets: write < {TARGET:.0f} s, browser < {TARGET:.0f} s")
    print("actors  relations  HTML MB  write s  browser s  targets met")
    for size, edges, _built, write, load, nbytes in rows:
        ok = "yes" if write < TARGET and load < TARGET else "NO"
        print(f"{size:>6}  {edges:>9}  {nbytes / 1e6:>7.1f}  {write:>7.2f}  {load:>9.2f}  {ok}")


if __name__ == "__main__":
    main()
