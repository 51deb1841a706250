"""The editors' pages: insight (and the workshop)."""
