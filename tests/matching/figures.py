"""How well the matcher reads the corpus of seller phrasings: the figures the issue asks for."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from wizard.flows import Flow
from wizard.flows.match import read_words

CORPUS = Path(__file__).with_name("phrasings.toml")


@dataclass
class Figures:
    """Counts over the corpus, and the figures computed from them."""

    phrasings: int = 0
    with_first: int = 0
    ticks: int = 0
    right_ticks: int = 0
    stated: int = 0
    forbidden_ticks: int = 0
    top1: int = 0
    top3: int = 0
    abstained: int = 0
    confident_wrong: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Pre-ticked answers that the words state, out of all pre-ticked."""
        return self.right_ticks / self.ticks if self.ticks else 1.0

    @property
    def recall(self) -> float:
        """Stated answers that were pre-ticked, out of all stated."""
        return self.right_ticks / self.stated if self.stated else 1.0

    @property
    def top1_rate(self) -> float:
        """The first question's right answer ranked first."""
        return self.top1 / self.with_first

    @property
    def top3_rate(self) -> float:
        """The first question's right answer among the three shown."""
        return self.top3 / self.with_first

    @property
    def abstain_rate(self) -> float:
        """Readings that offered a short list with nothing pre-selected."""
        return self.abstained / self.phrasings


def load_corpus() -> list[dict[str, object]]:
    """The phrasings, as written in phrasings.toml."""
    phrasings: list[dict[str, object]] = tomllib.loads(CORPUS.read_text())["phrasings"]
    return phrasings


def measure(flow: Flow, phrasings: list[dict[str, object]]) -> Figures:
    """Read every phrasing and count what the reading got right and wrong."""
    figures = Figures()
    for item in phrasings:
        text = str(item["text"])
        first = item["first"]
        # Where the flow has two fair ways in for the words, either counts.
        firsts = {str(value) for value in first} if isinstance(first, list) else {str(first)}
        firsts.discard("")
        states = {str(answer) for answer in item["states"]}  # type: ignore[attr-defined]
        never = {str(answer) for answer in item["never"]}  # type: ignore[attr-defined]
        reading = read_words(flow, text)
        ticked = {f"{e.question}={e.value}" for e in reading.stated}
        figures.phrasings += 1
        figures.ticks += len(ticked)
        figures.right_ticks += len(ticked & states)
        figures.stated += len(states)
        figures.forbidden_ticks += len(ticked & never)
        figures.abstained += not reading.confident
        ranked = [candidate.value for candidate in reading.candidates]
        for extra in sorted(ticked - states):
            figures.wrong.append(f"ticked {extra}: {text}")
        for missed in sorted(states - ticked):
            figures.wrong.append(f"missed {missed}: {text}")
        if not firsts:
            if reading.confident:
                figures.confident_wrong += 1
                figures.wrong.append(f"confident on nothing ({ranked[:1]}): {text}")
            continue
        figures.with_first += 1
        top1 = bool(ranked) and ranked[0] in firsts
        figures.top1 += top1
        figures.top3 += bool(firsts & set(ranked[:3]))
        if reading.confident and not top1:
            figures.confident_wrong += 1
        if not top1:
            figures.wrong.append(f"first {ranked[:3]} not {sorted(firsts)}: {text}")
    return figures
