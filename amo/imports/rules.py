"""Pure rules of the registration list format (docs/formats/registration-list.md): column
names, and the cleaning of one row into values or per-field error codes."""

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from amo.common import transitions
from amo.common.identifiers import InvalidIdentifier, normalise_massar, normalise_rib
from amo.common.readers import normalise_header, parse_date
from amo.common.textrules import email_problem, text_problem
from amo.enrollment.rules import STUDENT_TEXTS, normalise_identity
from amo.referentials.rules import age_on, age_reference_date, over_age_limit

# canonical column -> accepted header spellings (compared after normalise_header)
PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
# An import job: the worker takes a pending job; a file refused before or while it runs fails.
IMPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({RUNNING, FAILED}),
    RUNNING: frozenset({DONE, FAILED}),
    DONE: frozenset(),
    FAILED: frozenset(),
}


def import_can_move(current: str, target: str) -> bool:
    return transitions.allowed(IMPORT_TRANSITIONS, current, target)


COLUMNS: dict[str, tuple[str, ...]] = {
    "id_type": ("id_type", "type_piece", "type_document", "typepiece", "نوع الوثيقة"),
    "id_number": ("id_number", "cin", "numero_piece", "num_piece", "numero_cin", "piece", "رقم البطاقة"),
    "massar": ("massar", "cne", "code_massar", "cne_massar", "رمز مسار"),
    "last_name": ("last_name", "nom", "nom_latin", "النسب"),
    "first_name": ("first_name", "prenom", "prenom_latin", "الاسم"),
    "last_name_ar": ("last_name_ar", "nom_ar", "nom_arabe", "النسب بالعربية"),
    "first_name_ar": ("first_name_ar", "prenom_ar", "prenom_arabe", "الاسم بالعربية"),
    "birth_date": ("birth_date", "date_naissance", "datenaissance", "تاريخ الازدياد"),
    "birth_place": ("birth_place", "lieu_naissance", "مكان الازدياد"),
    "sex": ("sex", "sexe", "genre", "الجنس"),
    "nationality": ("nationality", "nationalite", "الجنسية"),
    "address": ("address", "adresse", "العنوان"),
    "email": ("email", "e_mail", "courriel", "mail", "البريد الإلكتروني"),
    "phone": ("phone", "telephone", "tel", "gsm", "الهاتف"),
    "rib": ("rib", "rib_bancaire", "رقم الحساب"),
    "institution_code": ("institution_code", "code_etablissement", "etablissement", "رمز المؤسسة"),
    "track": ("track", "filiere", "formation", "المسلك"),
    "fee_paying": ("fee_paying", "payant", "filiere_payante", "مؤدى عنه"),
    "registered_on": ("registered_on", "date_inscription", "dateinscription", "تاريخ التسجيل"),
    "no_other_coverage": ("no_other_coverage", "declaration_non_couverture", "sans_autre_couverture", "التصريح"),
}
REQUIRED = ("id_number", "last_name", "first_name", "birth_date", "sex", "registered_on", "no_other_coverage")
_ALIASES = {normalise_header(alias): name for name, aliases in COLUMNS.items() for alias in aliases}

TRUE = {"1", "oui", "o", "yes", "y", "true", "vrai", "x", "نعم"}
FALSE = {"0", "non", "n", "no", "false", "faux", "لا", ""}
SEX = {
    "f": "F",
    "femme": "F",
    "female": "F",
    "feminin": "F",
    "أنثى": "F",
    "m": "M",
    "h": "M",
    "homme": "M",
    "male": "M",
    "masculin": "M",
    "ذكر": "M",
}
ID_TYPES = {
    "": "cin",
    "cin": "cin",
    "residence_card": "residence_card",
    "carte_sejour": "residence_card",
    "passport": "passport",
    "passeport": "passport",
}
_PHONE = re.compile(r"^(?:\+212|00212|0)([5-7]\d{8})$")
_CIN_FAST = re.compile(r"\A[A-Z]{1,2}[0-9]{1,6}\Z")


def map_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Canonical column -> position (first occurrence), and the columns not understood."""
    positions: dict[str, int] = {}
    extra = []
    for index, name in enumerate(header):
        canonical = _ALIASES.get(normalise_header(name))
        if canonical is None:
            if str(name).strip():
                extra.append(str(name))
        else:
            positions.setdefault(canonical, index)
    return positions, extra


def missing_columns(positions: dict[str, int], institution_fixed: bool) -> list[str]:
    required = list(REQUIRED) + ([] if institution_fixed else ["institution_code"])
    return [c for c in required if c not in positions]


@dataclass(frozen=True)
class InstitutionFacts:
    id: int
    aggregator_id: int
    affiliated: bool
    on_list: bool
    age_exempt: bool


@dataclass
class RowContext:
    year_start: dt.date
    year_end: dt.date
    age_reference: str  # academic_year_start | registration_date | academic_year_end
    age_limit: int
    minimum_age: int
    institutions: dict[str, InstitutionFacts]
    allowed: set[int] | None  # None: every institution
    fixed: InstitutionFacts | None
    today: dt.date
    errors: list[str] = field(default_factory=list)
    year_code: str = ""  # named in the age limit's message


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


_PHONE_JUNK = re.compile(r"[\s\-.()]")
_MASSAR_FAST = re.compile(r"\A[A-Z][0-9]{9}\Z")


def _phone(value: str) -> str:
    match = _PHONE.match(value) or _PHONE.match(_PHONE_JUNK.sub("", value))
    if not match:
        raise InvalidIdentifier("phone_format")
    return "+212" + match.group(1)


def clean_row(raw: list[Any], positions: dict[str, int], ctx: RowContext) -> tuple[dict[str, Any] | None, list[str]]:
    """One row to clean values, or None and its errors as "column:code" (the age limit as
    "column:code:reference date", which its message names: `problem_details`).

    Written for speed (a national file has 1.5 million rows): one pass, local lookups, the
    common case first; every rule here is also described in docs/formats/registration-list.md.
    """
    width = len(raw)
    get: dict[str, str] = {}
    for name, i in positions.items():
        value = raw[i] if i < width else ""
        if value.__class__ is not str:
            value = _text(value)
        get[name] = value.strip()
    errors: list[str] = []
    for name in REQUIRED:
        if not get.get(name):
            errors.append(name + ":required")
    raw_type = get.get("id_type", "")
    id_type = ID_TYPES.get(raw_type.lower().replace(" ", "_")) if raw_type else "cin"
    if id_type is None:
        errors.append("id_type:id_type_unknown")
        id_type = "cin"
    out: dict[str, Any] = {"id_type": id_type}
    number = get.get("id_number", "")
    if number:
        if id_type == "cin" and _CIN_FAST.match(number):
            out["id_number"] = number
        else:
            try:
                out["id_number"] = normalise_identity(id_type, number)
            except InvalidIdentifier as exc:
                errors.append("id_number:" + exc.code)
    else:
        out["id_number"] = ""
    for name, normalise in _OPTIONAL:
        value = get.get(name, "")
        if not value:
            out[name] = ""
            continue
        try:
            out[name] = normalise(value)
        except InvalidIdentifier as exc:
            errors.append(name + ":" + exc.code)
    for name in ("birth_date", "registered_on"):
        value = get.get(name, "")
        if value:
            try:
                parsed = dt.date.fromisoformat(value) if len(value) == 10 and value[4] == "-" else None
            except ValueError:
                parsed = None
            if parsed is None:
                cell = raw[positions[name]]
                parsed = parse_date(cell)
            if parsed is None:
                errors.append(name + ":date_format")
            out[name] = parsed
        else:
            out[name] = None
    sex_text = get.get("sex", "")
    sex = SEX.get(sex_text.lower()) if sex_text else ""
    if sex is None:
        errors.append("sex:sex_format")
        sex = ""
    out["sex"] = sex
    for name in ("fee_paying", "no_other_coverage"):
        value = get.get(name, "").lower()
        yes = value in TRUE
        if not yes and value not in FALSE:
            errors.append(name + ":bool_format")
        elif name == "no_other_coverage" and value and not yes:
            errors.append("no_other_coverage:other_coverage_in_list")  # said to the institution, not the student
        out[name] = yes
    email = get.get("email", "")
    if email and email_problem(email):
        errors.append("email:email_format")
    out["email"] = email.lower()
    # The texts under the rules of the form and the API; a required one missing is said above.
    for name, rule in STUDENT_TEXTS.items():
        value = out[name] = get.get(name, "")
        if value and (problem := text_problem(value, rule)):
            errors.append(name + ":" + problem)
    # A CIN is the Moroccan national identity card: its holder is Moroccan. A passport or a residence
    # card says nothing of the nationality, so the list must say it: no default for them.
    if not out["nationality"]:
        if id_type == "cin":
            out["nationality"] = "Marocaine"
        else:
            errors.append("nationality:nationality_required_foreign")
    institution = ctx.fixed
    code = get.get("institution_code", "")
    if code and (institution is None or ctx.institutions.get(code) is not institution):
        institution = ctx.institutions.get(code)
        if institution is None:
            errors.append("institution_code:institution_unknown")
        elif ctx.fixed is not None or (ctx.allowed is not None and institution.id not in ctx.allowed):
            errors.append("institution_code:institution_outside_perimeter")
            institution = None
    if institution is None and not code:
        errors.append("institution_code:required")  # a national file names each row's institution
    if institution is not None:
        if not institution.on_list:
            errors.append("institution_code:institution_not_eligible")
        elif not institution.affiliated:
            errors.append("institution_code:institution_not_affiliated")
        out["institution_id"] = institution.id
        out["aggregator_id"] = institution.aggregator_id
    # Every problem of the row in one report: the birth date is judged whatever else is wrong
    # (its age limit only once the institution, which may exempt it, is known).
    born = out["birth_date"]
    if born:
        if born >= ctx.today or age_on(born, ctx.today) < ctx.minimum_age:
            errors.append("birth_date:birth_date_invalid")
        elif institution is not None and over_age_limit(
            born,
            on=(on := age_reference_of(ctx, out["registered_on"])),
            limit=ctx.age_limit,
            exempt=institution.age_exempt,
        ):
            errors.append("birth_date:age_limit:" + on.isoformat())  # the date, for the report's message
    registered = out["registered_on"]
    if registered and not ctx.year_start <= registered <= ctx.year_end:
        errors.append("registered_on:registration_date_outside_year")
    if errors:
        return None, errors
    return out, errors


def age_reference_of(ctx: RowContext, registered: dt.date | None) -> dt.date:
    """The row's age reference date: referentials' one rule, as the form and the check use it."""
    return age_reference_date(
        ctx.age_reference, year_starts_on=ctx.year_start, year_ends_on=ctx.year_end, registered_on=registered
    )


def _massar(value: str) -> str:
    return value if _MASSAR_FAST.match(value) else normalise_massar(value)


_OPTIONAL = (("massar", _massar), ("phone", _phone), ("rib", normalise_rib))


def problem_details(item: str, ctx: RowContext) -> tuple[str, str, dict[str, object] | None]:
    """(column, code, the values the code's message names) of one of clean_row's errors."""
    column, _sep, rest = item.partition(":")
    code, _sep, value = rest.partition(":")
    if code == "age_limit" and value:
        return column, code, {"limit": ctx.age_limit, "date": dt.date.fromisoformat(value), "year": ctx.year_code}
    return column, code, None
