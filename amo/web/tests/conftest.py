"""Fixtures of other apps' tests that the dashboards' tests start from."""

from amo.contributions.tests.conftest import private, private_agent

__all__ = ["private", "private_agent"]
