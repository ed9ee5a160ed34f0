"""Fixtures shared with the eligibility tests."""

from amo.eligibility.tests.conftest import registry_file  # noqa: F401 - a fixture
