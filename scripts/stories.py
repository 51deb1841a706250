"""Walk the story bank through the shipped flow and print its figures.

Usage: .venv/bin/python scripts/stories.py [--misses FILE] [--story ID] [--verbose]

Each story (tests/stories/*.toml) is walked twice: guided (the answering policy in
tests/stories/policy.py answers every question from the story's facts) and from its
words (the matcher pre-fills answers, the policy answers the rest). A walk is right when
it ends on a solution tests/stories/expected.toml accepts for the story. It prints the
share right per bank and overall, each way, against the bar (guided 95 %, words 90 %),
then every miss with the path it took (a pre-filled answer is starred) and whether
expected.toml lists it as a known miss. `--misses FILE` also writes the misses there as
Markdown, for whoever fixes the flow.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.stories.bank import (  # noqa: E402
    EXPECTED,
    WAYS,
    Expected,
    Outcome,
    expected,
    judge,
    listed,
    reason,
    run,
    shipped,
    stories,
    wrong_turn,
)
from tests.stories.policy import Story  # noqa: E402
from wizard.flows import Flow  # noqa: E402

BAR = {"guided": 95.0, "words": 90.0}


def main() -> int:
    """Print the figures; exit 1 when a way is below its bar or the known misses are untrue."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", type=Path, help="also write the misses to this Markdown file")
    parser.add_argument("--story", help="walk only this story id, and show both paths")
    parser.add_argument("--flow", type=Path, help="walk this flow document, not the shipped one")
    parser.add_argument(
        "--known-misses",
        action="store_true",
        help="rewrite the known_misses tables of expected.toml with today's misses and reasons",
    )
    parser.add_argument("--verbose", action="store_true", help="show every path, not only misses")
    options = parser.parse_args()

    flow = shipped(options.flow) if options.flow else shipped()
    wanted, known = expected()
    banks = stories()
    outcomes: dict[str, list[Outcome]] = {}
    for bank, bank_stories in banks.items():
        chosen = [s for s in bank_stories if options.story in (None, s.id)]
        outcomes[bank] = [run(flow, story, way) for story in chosen for way in WAYS]
    told = {story.id: story for bank_stories in banks.values() for story in bank_stories}

    lines: list[str] = []
    totals = {way: [0, 0] for way in WAYS}
    header = f"{'bank':<8} {'stories':>7}  " + "  ".join(f"{way:>14}" for way in WAYS)
    header += "   on a short list (guided/words)"
    table = [header]
    for bank, results in outcomes.items():
        cells = []
        for way in WAYS:
            mine = [o for o in results if o.way == way]
            right = sum(judge(o, wanted) for o in mine)
            totals[way][0] += right
            totals[way][1] += len(mine)
            cells.append(f"{right:>3}/{len(mine):<3} {_percent(right, len(mine)):>6}")
        short = "/".join(
            str(sum(listed(flow, o, wanted) for o in results if o.way == way)) for way in WAYS
        )
        table.append(
            f"{bank:<8} {len(results) // len(WAYS):>7}  "
            + "  ".join(f"{c:>14}" for c in cells)
            + f"   {short:>8}"
        )
    below = False
    cells = []
    for way in WAYS:
        right, count = totals[way]
        share = 100 * right / count if count else 0.0
        below |= share < BAR[way]
        cells.append(f"{right:>3}/{count:<3} {_percent(right, count):>6}")
    every = [o for results in outcomes.values() for o in results]
    short = "/".join(str(sum(listed(flow, o, wanted) for o in every if o.way == w)) for w in WAYS)
    table.append(
        f"{'overall':<8} {totals['guided'][1]:>7}  "
        + "  ".join(f"{c:>14}" for c in cells)
        + f"   {short:>8}"
    )
    table.append("bar: " + ", ".join(f"{way} >= {BAR[way]:.0f} %" for way in WAYS))
    print("\n".join(table))

    untrue = 0
    for bank, results in outcomes.items():
        for outcome in results:
            right = judge(outcome, wanted)
            known_reason = known[outcome.way].get(outcome.story)
            if right and known_reason:
                untrue += 1
            if right and not options.verbose and not options.story:
                continue
            entry = wanted.get(outcome.story)
            mark = "ok" if right else ("known miss" if known_reason else "NEW MISS")
            if not right and listed(flow, outcome, wanted):
                mark += " (its short list names the cause)"
            if right and known_reason:
                mark = "PASSES BUT LISTED AS A KNOWN MISS"
            lines.append(
                f"- **{outcome.story}** ({bank}, {outcome.way}) — {mark}\n"
                f"  - expected: {', '.join(entry.keys) if entry else '(no entry)'}"
                f" — {entry.meaning if entry else ''}\n"
                f"  - path: {outcome.path()}\n"
                + (f"  - also check: {', '.join(outcome.findings)}\n" if outcome.findings else "")
                + (
                    _turn(flow, told[outcome.story], outcome, entry.keys)
                    if entry and not right
                    else ""
                )
                + (f"  - known-miss reason: {known_reason}\n" if known_reason else "")
            )
    print()
    print("\n".join(lines) if lines else "no misses")
    if options.misses:
        options.misses.write_text(
            "# Story bank misses (written by scripts/stories.py)\n\n```\n"
            + "\n".join(table)
            + "\n```\n\n"
            + "\n".join(lines),
            encoding="utf-8",
        )
    if options.known_misses and not options.story:
        _rewrite_known_misses(flow, told, outcomes, wanted)
        print(f"\nknown_misses rewritten in {EXPECTED}")
    return 1 if (below or untrue) and not options.story else 0


MARKER = "# Stories the flow gets wrong today"


def _rewrite_known_misses(
    flow: Flow,
    told: dict[str, Story],
    outcomes: dict[str, list[Outcome]],
    wanted: dict[str, Expected],
) -> None:
    """Replace expected.toml's known_misses with the misses of this run, each with why."""
    every = [outcome for results in outcomes.values() for outcome in results]
    guided = {o.story: o for o in every if o.way == "guided"}
    lines = [
        MARKER + ", per way, each with the reason. The test",
        "# fails when a story not listed goes wrong, and when a listed one is right again (keep",
        "# this true). Written by `scripts/stories.py --known-misses`; a person reads each one.",
    ]
    for way in WAYS:
        lines.append(f"[known_misses.{way}]")
        for o in every:
            if o.way == way and not judge(o, wanted):
                why = reason(flow, told[o.story], o, wanted[o.story].keys, guided[o.story])
                lines.append(f"{json.dumps(o.story)} = {json.dumps(why, ensure_ascii=False)}")
        lines.append("")
    text = EXPECTED.read_text("utf-8")
    EXPECTED.write_text(text[: text.index(MARKER)] + "\n".join(lines), "utf-8")


def _turn(flow: Flow, story: Story, outcome: Outcome, keys: tuple[str, ...]) -> str:
    return f"  - wrong turn: {wrong_turn(flow, story, outcome, keys)}\n"


def _percent(right: int, count: int) -> str:
    return f"{100 * right / count:.1f}%" if count else "-"


if __name__ == "__main__":
    raise SystemExit(main())
