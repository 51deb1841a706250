"""Route conditions: a tiny, parsed (never eval'd) language over answers and facts."""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .checklist import ticked_items, unsure_items
from .document import Value
from .words import Words, gettext_noop
from .workdays import PREORDER_DAYS, service_of, ship_by

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
MEMBERSHIP = ("has", "lacks")
# `KEY unsure item`: that checklist item was marked "not sure"; `KEY unsure`: any was.
UNSURE = "unsure"
PRESENCE = ("missing", "present")
# `KEY overdue`: the ship-by time counted from that date/time answer has passed.
OVERDUE = "overdue"
KEY = re.compile(r"[a-z][a-z0-9_]*")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
VERSION = re.compile(r"\d+(\.\d+){0,3}")


class ConditionError(ValueError):
    """A condition that cannot be parsed; the message says what is wrong."""

    def __init__(self, text: str, values: Mapping[str, object] | None = None) -> None:
        self.words = Words(text, values or {})
        super().__init__(self.words.say())


@dataclass(frozen=True)
class Operand:
    """One side of a comparison: an answer, its age in hours, a fact or a literal."""

    answer: str | None = None
    hours_ago: bool = False
    fact: str | None = None
    literal: float | None = None

    def resolve(
        self, answers: Mapping[str, Value], facts: Mapping[str, object], now: dt.datetime
    ) -> object:
        """The operand's value, or None when it cannot be known."""
        if self.literal is not None:
            return self.literal
        if self.fact is not None:
            return _comparable(facts.get(self.fact))
        assert self.answer is not None
        value = answers.get(self.answer)
        if self.hours_ago:
            when = _parse_datetime(value)
            return None if when is None else (now - when).total_seconds() / 3600
        return _comparable(value)


@dataclass(frozen=True)
class Clause:
    """`left OP right`, `key has value`, `key unsure [value]`, or `key missing`."""

    op: str
    key: str
    value: str = ""
    left: Operand | None = None
    right: Operand | None = None
    # For `overdue`: the questions that may say the service type, read in this order.
    reads: tuple[str, ...] = ()

    @property
    def picks(self) -> tuple[str, str] | None:
        """The (question, option) a `key == option` clause names; None for any other."""
        return (self.key, self.value) if self.op == "==" and self.left is None else None

    def holds(
        self, answers: Mapping[str, Value], facts: Mapping[str, object], now: dt.datetime
    ) -> bool:
        """Whether the clause is true; anything unknown or malformed makes it false."""
        given = answers.get(self.key)
        if self.op in PRESENCE:
            is_given = given not in (None, "", [])
            return is_given if self.op == "present" else not is_given
        if self.op == OVERDUE:
            return self._overdue(answers, facts, now)
        if self.op in MEMBERSHIP:  # `lacks`: not ticked, whether "no" or "not sure"
            ticked = ticked_items(given)
            if ticked is None:
                return False
            return (self.value in ticked) == (self.op == "has")
        if self.op == UNSURE:
            unsure = unsure_items(given)
            if unsure is None:
                return False
            return self.value in unsure if self.value else bool(unsure)
        if self.left is None:  # `key == option`
            if given is None or isinstance(given, list):
                return False
            return (str(given) == self.value) == (self.op == "==")
        assert self.right is not None
        left = self.left.resolve(answers, facts, now)
        right = self.right.resolve(answers, facts, now)
        if left is None or right is None or type(left) is not type(right):
            return False
        return COMPARISONS[self.op](left, right)

    def _overdue(
        self, answers: Mapping[str, Value], facts: Mapping[str, object], now: dt.datetime
    ) -> bool:
        # The answer keeps the seller's own offset, and the cut-off is a wall-clock rule.
        placed_at = _parse_datetime(answers.get(self.key))
        if placed_at is None:
            return False
        service, _ = service_of(answers, self.reads)
        due = ship_by(placed_at, service, facts, answers.get(PREORDER_DAYS))
        return due is not None and now > due


@dataclass(frozen=True)
class Condition:
    """Clauses that must all hold."""

    clauses: tuple[Clause, ...]

    def holds(
        self, answers: Mapping[str, Value], facts: Mapping[str, object], now: dt.datetime
    ) -> bool:
        """Whether every clause holds."""
        return all(clause.holds(answers, facts, now) for clause in self.clauses)

    @property
    def keys(self) -> set[str]:
        """The answers this condition reads."""
        keys = set()
        for clause in self.clauses:
            keys.add(clause.key)
            for side in (clause.left, clause.right):
                if side is not None and side.answer is not None:
                    keys.add(side.answer)
        return keys

    @property
    def facts(self) -> set[str]:
        """The facts this condition reads."""
        return {
            side.fact
            for clause in self.clauses
            for side in (clause.left, clause.right)
            if side is not None and side.fact is not None
        }


def parse_condition(
    text: str, kinds: Mapping[str, str], service: tuple[str, ...] = ()
) -> Condition:
    """Parse a condition; `kinds` maps each question key to its kind, `service` names the
    questions that ask the service type (what `overdue` reads)."""
    parts = [part.strip() for part in re.split(r"\s+and\s+", text.strip())]
    if not parts or not all(parts):
        raise ConditionError(gettext_noop("empty clause in '%(text)s'"), {"text": text})
    return Condition(tuple(_parse_clause(part, kinds, service) for part in parts))


def _parse_clause(text: str, kinds: Mapping[str, str], service: tuple[str, ...]) -> Clause:
    words = text.split()
    if len(words) == 2 and words[1] == OVERDUE:
        key = _question(words[0], kinds)
        if kinds[key] != "datetime":
            raise ConditionError(
                gettext_noop("`%(op)s` needs a date/time question, '%(key)s' is not"),
                {"op": OVERDUE, "key": key},
            )
        return Clause(op=OVERDUE, key=key, reads=service)
    if len(words) == 2 and words[1] in PRESENCE:
        key = _question(words[0], kinds)
        return Clause(op=words[1], key=key)
    if len(words) in (2, 3) and words[1] == UNSURE:
        key = _question(words[0], kinds)
        if kinds[key] != "multi":
            raise ConditionError(
                gettext_noop("`%(op)s` needs a checklist (multi) question, '%(key)s' is not"),
                {"op": UNSURE, "key": key},
            )
        return Clause(op=UNSURE, key=key, value=words[2] if len(words) == 3 else "")
    if len(words) != 3:
        raise ConditionError(
            gettext_noop("cannot read '%(text)s': expected `left OP right`"), {"text": text}
        )
    left, op, right = words
    if op in MEMBERSHIP:
        key = _question(left, kinds)
        if kinds[key] != "multi":
            raise ConditionError(
                gettext_noop("`%(op)s` needs a multiple-choice question, '%(key)s' is not"),
                {"op": op, "key": key},
            )
        return Clause(op=op, key=key, value=right)
    if op not in COMPARISONS:
        raise ConditionError(
            gettext_noop("unknown operator '%(op)s' in '%(text)s'"), {"op": op, "text": text}
        )
    left_key = left.split(".")[0]
    if left_key in kinds and kinds[left_key] in ("choice", "yesno") and op in ("==", "!="):
        return Clause(op=op, key=left_key, value=right)
    if left_key in kinds and kinds[left_key] == "multi":
        raise ConditionError(
            gettext_noop("use `has` or `lacks` with multiple-choice question '%(left_key)s'"),
            {"left_key": left_key},
        )
    left_operand = _operand(left, kinds)
    right_operand = _operand(right, kinds)
    compared = left_operand.answer or right_operand.answer
    if compared is None:
        raise ConditionError(gettext_noop("'%(text)s' compares no answer"), {"text": text})
    return Clause(op=op, key=compared, left=left_operand, right=right_operand)


def _operand(word: str, kinds: Mapping[str, str]) -> Operand:
    if word.startswith("$"):
        if not KEY.fullmatch(word[1:]):
            raise ConditionError(gettext_noop("bad fact name '%(word)s'"), {"word": word})
        return Operand(fact=word[1:])
    if NUMBER.fullmatch(word):
        return Operand(literal=float(word))
    key, _, attribute = word.partition(".")
    key = _question(key, kinds)
    if attribute:
        if attribute != "hours_ago" or kinds[key] != "datetime":
            raise ConditionError(
                gettext_noop("'%(word)s': only a date/time answer has `.hours_ago`"), {"word": word}
            )
        return Operand(answer=key, hours_ago=True)
    if kinds[key] not in ("number", "version"):
        raise ConditionError(
            gettext_noop("'%(word)s': cannot compare a %(kinds)s answer with `<`"),
            {"word": word, "kinds": kinds[key]},
        )
    return Operand(answer=key)


def _question(key: str, kinds: Mapping[str, str]) -> str:
    if key not in kinds:
        raise ConditionError(gettext_noop("no question '%(key)s'"), {"key": key})
    return key


def _comparable(value: object) -> object:
    """Numbers become floats and dotted versions tuples, so each compares with its kind."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and VERSION.fullmatch(value.strip()):
        parts = [int(part) for part in value.strip().split(".")]
        return tuple(parts + [0] * (4 - len(parts)))
    return None


def _parse_datetime(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None
