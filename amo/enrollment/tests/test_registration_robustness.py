"""The registration API answers a coded, translated 4xx, never a 500, to the numbers a careless
or hostile client sends for the institution."""

import pytest
from django.utils import translation

from amo.enrollment.errors import EnrollmentMoreError
from amo.enrollment.models import RegistrationRequest, Student
from amo.enrollment.tests.test_api import BODY

pytestmark = pytest.mark.django_db

URL = "/api/registration/entries/higher_education/requests"


@pytest.mark.parametrize(
    "institution_id",
    [987654321, 0, -1, -(2**63), 2**63 - 1, 2**63, 2**70, 10**40],
    ids=["unknown", "zero", "negative", "most-negative", "largest", "2^63", "2^70", "10^40"],
)
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_an_unknown_negative_or_huge_institution_id_gets_a_coded_translated_400(
    ready, institution_id: int, language: str
) -> None:
    answer = ready.client("student").post(
        URL,
        {**BODY, "institution_id": institution_id},
        content_type="application/json",
        headers={"accept-language": language},
    )
    assert answer.status_code == 400, answer.content
    code = EnrollmentMoreError.INSTITUTION_UNKNOWN
    with translation.override(language):
        expected = str(code.label)
    assert answer.json() == {"code": code, "message": expected, "fields": {"institution_id": [expected]}}
    assert not Student.objects.exists() and not RegistrationRequest.objects.exists()
