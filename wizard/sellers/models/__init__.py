"""What a seller's session is made of: flow versions, sessions, the answer log, incidents.

The tables keep the names they had when everything lived in one `wizard` app
(`db_table`), so moving the models here moved no rows (see docs/architecture.md).
"""

from .incidents import Incident, IncidentChange, Sighting
from .sessions import (
    Answer,
    NotOnPath,
    Session,
    StaleRevision,
    TokenUnknown,
    hash_token,
    new_code,
    new_token,
)
from .tallies import MonthTally, Tally
from .trials import Trial, in_variant
from .versions import FlowVersion, PublishedInBrowser, parsed_flow

__all__ = [
    "Answer",
    "FlowVersion",
    "Incident",
    "IncidentChange",
    "MonthTally",
    "NotOnPath",
    "PublishedInBrowser",
    "Session",
    "Sighting",
    "StaleRevision",
    "Tally",
    "TokenUnknown",
    "Trial",
    "hash_token",
    "in_variant",
    "new_code",
    "new_token",
    "parsed_flow",
]
