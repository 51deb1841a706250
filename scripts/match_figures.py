"""Print how well "tell us in your words" reads the corpus of seller phrasings.

Pre-tick precision and recall, top-1 and top-3 accuracy of the first question's answer,
the abstain rate, and how often a reading was confident and wrong. `--misses` lists
every phrasing read wrong. Usage: .venv/bin/python scripts/match_figures.py [--misses]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.matching.figures import load_corpus, measure  # noqa: E402
from wizard.flows import load_flow  # noqa: E402


def main() -> None:
    """Read the corpus against the shipped flow and print the figures."""
    flow = load_flow((ROOT / "wizard/content/orders.toml").read_text())
    phrasings = load_corpus()
    started = time.perf_counter()
    figures = measure(flow, phrasings)
    elapsed = time.perf_counter() - started
    f = figures
    rows = [
        ("phrasings", f"{f.phrasings} ({f.with_first} with a first answer)"),
        ("pre-tick precision", f"{f.precision:.3f} ({f.right_ticks}/{f.ticks})"),
        ("pre-tick recall", f"{f.recall:.3f} ({f.right_ticks}/{f.stated})"),
        ("forbidden ticks", f"{f.forbidden_ticks}"),
        ("first answer top-1", f"{f.top1_rate:.3f} ({f.top1}/{f.with_first})"),
        ("first answer top-3", f"{f.top3_rate:.3f} ({f.top3}/{f.with_first})"),
        ("abstain rate", f"{f.abstain_rate:.3f} ({f.abstained}/{f.phrasings})"),
        ("confident and wrong", f"{f.confident_wrong}"),
        ("time per reading", f"{elapsed / f.phrasings * 1000:.2f} ms (the index built once)"),
    ]
    for name, value in rows:
        print(f"{name:<24} {value}")
    if "--misses" in sys.argv:
        print("\n".join(figures.wrong))


if __name__ == "__main__":
    main()
