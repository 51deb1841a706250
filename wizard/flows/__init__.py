"""Flows as documents: the format, the loader and the engine. Pure Python, no Django."""

from .document import Fact, Flow, Option, Question, Route, Solution, Source, Text, Tip, Value
from .engine import Walk, accepts, walk
from .loader import FlowError, load_flow

__all__ = [
    "Fact",
    "Flow",
    "FlowError",
    "Option",
    "Question",
    "Route",
    "Solution",
    "Source",
    "Text",
    "Tip",
    "Value",
    "Walk",
    "accepts",
    "load_flow",
    "walk",
]
