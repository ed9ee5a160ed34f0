"""Fixtures shared with other apps' tests."""

from amo.contributions.tests.conftest import private  # noqa: F401 - a fixture
from amo.eligibility.tests.conftest import registry_file  # noqa: F401 - a fixture
