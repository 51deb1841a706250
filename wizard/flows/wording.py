"""A route's condition in words, for the diagram's arrows and its outline: "if: more than
48 hours ago", never `requested_at.hours_ago > $cancel_response_hours`."""

from __future__ import annotations

from .conditions import OVERDUE, PRESENCE, UNSURE, Clause, Condition, Operand
from .document import UNIT_WORDS, Flow

WORDS = {
    "id": {
        "if": "jika: {}", "and": " dan ", "not": "bukan {}", "has": "dicentang {}",
        "lacks": "belum dicentang {}", "unsure_item": "tidak yakin soal {}",
        "unsure_any": "ada yang tidak yakin", "missing": "dikosongkan", "present": "dijawab",
        OVERDUE: "batas kirim sudah lewat", "ago": "{} lalu", "asked": "“{}”: {}",
        "answer": "jawaban “{}”", "otherwise": "selain itu",
    },
    "en": {
        "if": "if: {}", "and": " and ", "not": "not {}", "has": "ticked {}",
        "lacks": "not ticked {}", "unsure_item": "not sure of {}",
        "unsure_any": "some not sure", "missing": "left empty", "present": "answered",
        OVERDUE: "the ship-by time has passed", "ago": "{} ago", "asked": "“{}”: {}",
        "answer": "the answer to “{}”", "otherwise": "otherwise",
    },
}  # fmt: skip
COMPARED = {
    "id": {">": "lebih dari", ">=": "minimal", "<": "kurang dari", "<=": "maksimal",
           "==": "tepat", "!=": "bukan"},
    "en": {">": "more than", ">=": "at least", "<": "less than", "<=": "at most",
           "==": "exactly", "!=": "not"},
}  # fmt: skip
FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}


def condition_in_words(flow: Flow, asked: str, condition: Condition, language: str) -> str:
    """The condition of a route leaving question `asked`, as a reader would say it: the
    option's label alone when it is one pick of this question, else "if: …"."""
    language = "en" if language == "en" else "id"
    words = WORDS[language]
    clauses = condition.clauses
    if len(clauses) == 1 and clauses[0].picks is not None and clauses[0].key == asked:
        return _label(flow, clauses[0], language)
    said = words["and"].join(_clause(flow, asked, clause, language) for clause in clauses)
    return words["if"].format(said)


def otherwise(language: str) -> str:
    """What the arrow of a route without a condition says beside ones with a condition."""
    return WORDS["en" if language == "en" else "id"]["otherwise"]


def _clause(flow: Flow, asked: str, clause: Clause, language: str) -> str:
    words = WORDS[language]
    if clause.op == OVERDUE:
        return words[OVERDUE]
    if clause.op in PRESENCE:
        return _about(flow, asked, clause.key, words[clause.op], language)
    if clause.op == UNSURE:
        if not clause.value:
            return _about(flow, asked, clause.key, words["unsure_any"], language)
        return words["unsure_item"].format(_quoted(flow, clause, language))
    if clause.op in ("has", "lacks"):
        return words[clause.op].format(_quoted(flow, clause, language))
    if clause.left is None:  # `key == option` or `key != option`
        label = _quoted(flow, clause, language)
        return label if clause.op == "==" else words["not"].format(label)
    left, op, right = clause.left, clause.op, clause.right
    assert right is not None
    if left.answer is None:  # `$fact < key`: say the answer first, "key > fact"
        left, op, right = right, FLIPPED[op], left
    assert left.answer is not None
    compared = f"{COMPARED[language][op]} {_operand(flow, right, language, left.hours_ago)}"
    if left.hours_ago:
        compared = words["ago"].format(compared)
    return _about(flow, asked, left.answer, compared, language)


def _about(flow: Flow, asked: str, key: str, said: str, language: str) -> str:
    """`said` of question `key`, which needs naming only when the arrow leaves another."""
    if key == asked:
        return said
    return WORDS[language]["asked"].format(flow.render(flow.questions[key].text, language), said)


def _operand(flow: Flow, operand: Operand, language: str, is_hours: bool) -> str:
    if operand.answer is not None:
        text = flow.render(flow.questions[operand.answer].text, language)
        return WORDS[language]["answer"].format(text)
    fact = None if operand.fact is None else flow.facts.get(operand.fact)
    if fact is not None and fact.unit is not None:
        return fact.show(language, "unit")
    if fact is not None:
        number = fact.show(language)  # a version stays "43.3.0"
    else:
        number = f"{operand.literal or 0:g}"
        number = number.replace(".", ",") if language == "id" else number
    if not is_hours:
        return number
    word = UNIT_WORDS["hours"][language == "en"]
    return f"{number} {word.removesuffix('s') if number == '1' else word}"


def _quoted(flow: Flow, clause: Clause, language: str) -> str:
    return f"“{_label(flow, clause, language)}”"


def _label(flow: Flow, clause: Clause, language: str) -> str:
    question = flow.questions.get(clause.key)
    option = None if question is None else question.option(clause.value)
    return clause.value if option is None else flow.render(option.label, language)
