"""Lighthouse (mobile) scores of the landing page, a question and a solution, as in production.

`make lighthouse` runs this: it starts the production-like sample site
(scripts/sample_site.py), runs the npm package `lighthouse` (package.json) against
Debian's Chromium with its default mobile settings (a mid-range phone: 4x slower CPU,
slow 4G), and prints the performance, accessibility and best-practices scores, the
bytes transferred, the paint times and every scored audit that did not pass. Full
reports go to bench-results/lighthouse/.

Lighthouse slows the CPU by the same factor on every machine; its "benchmark index"
(printed) says how fast this one was. On a machine much slower than a developer's
laptop, or one busy with other work, the performance score understates what a phone
would see, so each page is measured LIGHTHOUSE_RUNS times (3 by default) and the run
with the median performance score is reported, as Lighthouse's documentation advises.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sample_site

LIGHTHOUSE = sample_site.ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REPORTS = sample_site.ROOT / "bench-results" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices"]
CHROME_FLAGS = " ".join(
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
)
PAGES = {"landing": "", "question": "question-choice", "solution": "solution-also-check"}
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))


def median_run(url: str, name: str) -> dict[str, Any]:
    """The run with the median performance score of RUNS runs."""
    runs = [lighthouse(url, f"{name}-{number}") for number in range(1, RUNS + 1)]
    runs.sort(key=lambda result: result["categories"]["performance"]["score"] or 0)
    return runs[len(runs) // 2]


def lighthouse(url: str, name: str) -> dict[str, Any]:
    """One mobile Lighthouse run; its JSON report is kept in bench-results/."""
    report = REPORTS / f"{name}.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env=os.environ | {"CHROME_PATH": CHROMIUM},
        check=True,
    )
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def summary(name: str, result: dict[str, Any]) -> tuple[str, list[str]]:
    """A table row of scores, bytes and paint times, and the audits that did not pass."""
    scores = [round(100 * (result["categories"][key]["score"] or 0)) for key in CATEGORIES]
    audits = result["audits"]
    weight = audits["total-byte-weight"]["numericValue"] / 1024
    fcp = audits["first-contentful-paint"]["numericValue"] / 1000
    lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
    tbt = audits["total-blocking-time"]["numericValue"]
    row = f"{name:<10} {scores[0]:>11} {scores[1]:>13} {scores[2]:>14} {weight:>8.1f} KB"
    row += f" {fcp:>5.2f} s {lcp:>5.2f} s {tbt:>5.0f} ms"
    failed = [
        f"  {name}: {audit['id']} ({audit['score']}): {audit['title']}"
        for audit in audits.values()
        if audit["scoreDisplayMode"] in {"binary", "numeric", "metricSavings"}
        and audit["score"] is not None
        and audit["score"] < 1
    ]
    return row, failed


def main() -> None:
    """Serve, measure, print."""
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `npm install --no-package-lock`.")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is not at {CHROMIUM}: apt-get install chromium.")
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        sample_site.prepare(Path(workdir))
        paths = {sample.name: sample.path for sample in sample_site.samples()}
        with sample_site.serving() as site:
            results = {
                name: median_run(site + paths.get(sample, "/"), name)
                for name, sample in PAGES.items()
            }
    first = next(iter(results.values()))
    print(
        f"Lighthouse {first['lighthouseVersion']}, mobile (default throttling), "
        f"{first['environment']['hostUserAgent'].split(') ')[-1].split(' ')[0]}, "
        f"benchmark index {first['environment']['benchmarkIndex']:.0f}; "
        f"median of {RUNS} runs"
    )
    print(f"{'page':<10} {'performance':>11} {'accessibility':>13} {'best-practices':>14}", end="")
    print(f" {'weight':>11} {'FCP':>7} {'LCP':>7} {'TBT':>8}")
    problems: list[str] = []
    for name, result in results.items():
        row, failed = summary(name, result)
        print(row)
        problems += failed
    if problems:
        print("Scored audits not passed (score below 1):")
        print("\n".join(problems))


if __name__ == "__main__":
    main()
