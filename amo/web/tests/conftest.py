"""Fixtures of other apps' tests that the dashboards' tests start from."""

from amo.contributions.tests.conftest import private

__all__ = ["private"]
