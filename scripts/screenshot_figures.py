"""How many drawn screenshots reach the right first answer, and how long reading one takes.

Usage: .venv/bin/python scripts/screenshot_figures.py [--seeds 2]

Every error of tests/sellers/screenshot_images.py, in Bahasa Indonesia and English, worded
with the flow's keywords (CASES) and as the platform might word it (PARAPHRASED), is
drawn on a phone-sized screen, as sent (PNG), in dark mode, and roughened as chat apps
pass screenshots on (scaled to 60 %, speckled, blurred, JPEG at quality 45), once per
seed. Each is read as the server reads one (wizard/sellers/screenshots.read: decoding,
Tesseract, masking) and its text matched as on the landing page (the answer to the
flow's first question) and on the error question (that question's answer). It prints,
per variant and in all: how many reached the right answer first, how many had it among
the first three, the pre-ticked answers that were wrong, refusals, and the median and
slowest time to read one (reading only, not matching), and the median CPU time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizard.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from tests.sellers.screenshot_images import (  # noqa: E402
    CASES,
    PARAPHRASED,
    Case,
    draw,
    encoded,
    roughened,
)
from wizard.flows import load_flow, masking, read_words  # noqa: E402
from wizard.sellers import screenshots  # noqa: E402


def variants(case: Case, seeds: int) -> list[tuple[str, bytes]]:
    """The ways one error's screenshot reaches us."""
    drawn = draw(case)
    shots = [
        ("as sent (PNG)", encoded(drawn)),
        ("dark mode (PNG)", encoded(draw(case, dark=True))),
    ]
    for seed in range(seeds):
        rough: Image.Image = roughened(drawn, seed=seed)
        shots.append(("via a chat app (60 %, noise, JPEG 45)", encoded(rough, "JPEG", quality=45)))
    return shots


def main() -> None:
    """Read every drawn screenshot and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2, help="roughened copies of each")
    seeds = parser.parse_args().seeds
    if not screenshots.is_available():
        sys.exit("Tesseract and its ind/eng languages are not installed here.")
    flow = load_flow(Path(settings.FLOW_FILES[0]).read_text())
    first: Counter[str] = Counter()
    error: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    wrong_ticks: list[str] = []
    refusals: Counter[str] = Counter()
    seconds: list[float] = []
    cpu_seconds: list[float] = []  # the process's, every thread's: Tesseract reads in its own
    for case in (*CASES, *PARAPHRASED):
        wording = "keyword" if case in CASES else "paraphrased"
        for variant, data in variants(case, seeds):
            variant = f"{wording}, {variant}"
            shown[variant] += 1
            cpu = time.process_time()
            try:
                words, took = screenshots.text_of(SimpleUploadedFile("shot", data))
            except screenshots.Refused as refused:
                refusals[f"{variant}: {refused.reason}"] += 1
                continue
            seconds.append(took)
            cpu_seconds.append(time.process_time() - cpu)
            # As screenshots.read matches: the words before masking, without the details.
            words = masking.about_the_error(words, flow)
            landing = read_words(flow, words)
            asked = read_words(flow, words, at="error")
            ranked = [candidate.value for candidate in landing.candidates]
            if ranked[:1] == [case.first]:
                first[variant] += 1
            if case.first in ranked[:3]:
                first[f"{variant} top-3"] += 1
            ranked = [candidate.value for candidate in asked.candidates]
            if ranked[:1] == [case.error]:
                error[variant] += 1
            if case.error in ranked[:3]:
                error[f"{variant} top-3"] += 1
            expected = {"where": case.first, "error": case.error}
            for key, value in {**landing.answers, **asked.answers}.items():
                if key in expected and value != expected[key]:
                    wrong_ticks.append(f"{case.name}/{case.language} {variant}: {key}={value}")
    total = sum(shown.values())
    errors = len(CASES) + len(PARAPHRASED)
    print(f"{total} drawn screenshots ({errors} errors x {total // errors} variants)")
    for variant, count in shown.items():
        print(
            f"  {variant:54} first question right {first[variant]:2}/{count}"
            f" (top 3: {first[variant + ' top-3']}/{count}),"
            f" error question right {error[variant]:2}/{count}"
            f" (top 3: {error[variant + ' top-3']}/{count})"
        )
    print(
        f"all: first question right {sum(first[v] for v in shown)}/{total},"
        f" error question right {sum(error[v] for v in shown)}/{total}"
    )
    print(f"wrongly pre-ticked answers: {len(wrong_ticks)}")
    for line in wrong_ticks:
        print("  " + line)
    print(
        f"refused: {sum(refusals.values())}" + "".join(f"\n  {r}: {n}" for r, n in refusals.items())
    )
    if seconds:
        print(
            f"time to read one: median {statistics.median(seconds):.2f} s,"
            f" slowest {max(seconds):.2f} s (n={len(seconds)}, load {os.getloadavg()[0]:.1f});"
            f" CPU median {statistics.median(cpu_seconds):.2f} s"
        )


if __name__ == "__main__":
    main()
