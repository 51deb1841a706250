"""Flows as documents: the format, the loader, the engine, the checker, deadlines, the
free-text matcher and the diagram. Pure Python, no Django."""

from .check import Problem, Report, check, check_document
from .deadlines import ZONES, Deadline, deadline, seller_zone
from .diagram import draw_dot, draw_svg
from .document import Fact, Flow, Option, Question, Route, Solution, Source, Text, Tip, Value
from .engine import Walk, accepts, walk
from .loader import FlowError, load_flow, read_toml
from .match import Candidate, Evidence, Reading, read_words

__all__ = [
    "ZONES",
    "Candidate",
    "Deadline",
    "Evidence",
    "Fact",
    "Flow",
    "FlowError",
    "Option",
    "Problem",
    "Question",
    "Reading",
    "Report",
    "Route",
    "Solution",
    "Source",
    "Text",
    "Tip",
    "Value",
    "Walk",
    "accepts",
    "check",
    "check_document",
    "deadline",
    "draw_dot",
    "draw_svg",
    "load_flow",
    "read_toml",
    "read_words",
    "seller_zone",
    "walk",
]
