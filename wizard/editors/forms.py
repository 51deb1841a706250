"""Forms of the editors' pages: none yet (incidents are edited in the admin)."""
