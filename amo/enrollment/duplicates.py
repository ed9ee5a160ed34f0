"""Probable duplicates (issue 13, rule 7): the same person registered twice in one academic year
under two identity documents (a CIN and a passport, say). Nothing is merged: a request whose
student has the same names (case and surrounding spaces aside) and birth date as the student of
an earlier request of the year, under another document, is flagged for its institution to decide
(services.duplicate_decide). Set-based: one statement flags a whole imported list, served by the
students' index on the same expressions (models.Student, `student_same_person_idx`)."""

from django.db import connection
from django.db.models import Q, QuerySet

from amo.enrollment.models import DuplicateDecision, ProbableDuplicate, RegistrationRequest, RegistrationStatus

# Pairs (later request, earlier request) of one academic year, their students the same person by
# names and birth date under different documents; the earlier one not rejected; never twice.
FLAG_SQL = """
INSERT INTO enrollment_probableduplicate (request_id, other_id, decision)
SELECT r.id, o.id, %s
FROM enrollment_registrationrequest r
JOIN enrollment_student s ON s.id = r.student_id
JOIN enrollment_student t ON UPPER(TRIM(t.last_name)) = UPPER(TRIM(s.last_name))
  AND UPPER(TRIM(t.first_name)) = UPPER(TRIM(s.first_name))
  AND t.birth_date = s.birth_date AND t.id <> s.id
JOIN enrollment_registrationrequest o ON o.student_id = t.id AND o.academic_year_id = r.academic_year_id
  AND o.id < r.id AND o.status <> %s
WHERE r.id IN ({ids})
  AND NOT EXISTS (SELECT 1 FROM enrollment_probableduplicate p WHERE p.request_id = r.id AND p.other_id = o.id)
"""


def duplicates_flag(*, requests: QuerySet[RegistrationRequest]) -> int:
    """Flag the probable duplicates of a set of requests (one, or a whole list); their count."""
    sql, params = requests.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(FLAG_SQL.format(ids=sql), [DuplicateDecision.PENDING, RegistrationStatus.REJECTED, *params])
        flagged: int = max(cursor.rowcount, 0)
        return flagged


def duplicates_forget(*, requests: QuerySet[RegistrationRequest]) -> int:
    """Remove the flags of a set of requests about to be taken back (an import undone): flags on
    them and flags naming them as the earlier request."""
    ids = requests.values("id")
    deleted, _by_model = ProbableDuplicate.objects.filter(Q(request_id__in=ids) | Q(other_id__in=ids)).delete()
    return deleted
