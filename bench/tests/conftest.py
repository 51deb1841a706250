"""The benchmark's own tests borrow the product suite's flow and session fixtures."""

from tests.conftest import _no_cross_test_flow_cache, session, version

__all__ = ["_no_cross_test_flow_cache", "session", "version"]
