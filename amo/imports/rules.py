"""Pure rules of the registration list format (docs/formats/registration-list.md): column
names, and the cleaning of one row into values or per-field error codes."""

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from amo.common.identifiers import InvalidIdentifier, normalise_massar, normalise_rib
from amo.enrollment.rules import normalise_identity
from amo.imports.readers import normalise_header, parse_date
from amo.referentials.rules import age_on

# canonical column -> accepted header spellings (compared after normalise_header)
COLUMNS: dict[str, tuple[str, ...]] = {
    "id_type": ("id_type", "type_piece", "type_document", "typepiece", "نوعالوثيقة"),
    "id_number": ("id_number", "cin", "numero_piece", "num_piece", "numero_cin", "piece", "رقمالبطاقة"),
    "massar": ("massar", "cne", "code_massar", "cne_massar", "رمزمسار"),
    "last_name": ("last_name", "nom", "nom_latin", "النسب"),
    "first_name": ("first_name", "prenom", "prenom_latin", "الاسم"),
    "last_name_ar": ("last_name_ar", "nom_ar", "nom_arabe", "النسببالعربية"),
    "first_name_ar": ("first_name_ar", "prenom_ar", "prenom_arabe", "الاسمبالعربية"),
    "birth_date": ("birth_date", "date_naissance", "datenaissance", "تاريخالازدياد"),
    "birth_place": ("birth_place", "lieu_naissance", "مكانالازدياد"),
    "sex": ("sex", "sexe", "genre", "الجنس"),
    "nationality": ("nationality", "nationalite", "الجنسية"),
    "address": ("address", "adresse", "العنوان"),
    "email": ("email", "e_mail", "courriel", "mail", "البريدالإلكتروني"),
    "phone": ("phone", "telephone", "tel", "gsm", "الهاتف"),
    "rib": ("rib", "rib_bancaire", "رقمالحساب"),
    "institution_code": ("institution_code", "code_etablissement", "etablissement", "رمزالمؤسسة"),
    "track": ("track", "filiere", "formation", "المسلك"),
    "fee_paying": ("fee_paying", "payant", "filiere_payante", "مؤدىعنه"),
    "registered_on": ("registered_on", "date_inscription", "dateinscription", "تاريخالتسجيل"),
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
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^(?:\+212|00212|0)([5-7]\d{8})$")


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
    institutions: dict[str, InstitutionFacts]
    allowed: set[int] | None  # None: every institution
    fixed: InstitutionFacts | None
    today: dt.date
    errors: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def _phone(value: str) -> str:
    compact = re.sub(r"[\s\-.()]", "", value)
    match = _PHONE.match(compact)
    if not match:
        raise InvalidIdentifier("phone_format")
    return "+212" + match.group(1)


def clean_row(raw: list[Any], positions: dict[str, int], ctx: RowContext) -> tuple[dict[str, Any] | None, list[str]]:
    """One row to clean values, or None and its errors as "column:code"."""
    get = {name: _text(raw[i]) if i < len(raw) else "" for name, i in positions.items()}
    cells = {name: raw[i] if i < len(raw) else "" for name, i in positions.items()}
    errors: list[str] = []
    out: dict[str, Any] = {}
    for name in REQUIRED:
        if not get.get(name):
            errors.append(f"{name}:required")
    id_type = ID_TYPES.get(get.get("id_type", "").lower().replace(" ", "_"))
    if id_type is None:
        errors.append("id_type:id_type_unknown")
        id_type = "cin"
    out["id_type"] = id_type
    simple = [
        ("id_number", lambda v: normalise_identity(id_type, v)),
        ("massar", normalise_massar),
        ("phone", _phone),
        ("rib", normalise_rib),
    ]
    for name, normalise in simple:
        value = get.get(name, "")
        if not value:
            out[name] = ""
            continue
        try:
            out[name] = normalise(value)
        except InvalidIdentifier as exc:
            errors.append(f"{name}:{exc.code}")
    for name in ("birth_date", "registered_on"):
        if get.get(name):
            parsed = parse_date(cells[name])
            if parsed is None:
                errors.append(f"{name}:date_format")
            out[name] = parsed
    sex = SEX.get(get.get("sex", "").lower())
    if get.get("sex") and sex is None:
        errors.append("sex:sex_format")
    out["sex"] = sex or ""
    for name in ("fee_paying", "no_other_coverage"):
        value = get.get(name, "").lower()
        if value not in TRUE and value not in FALSE:
            errors.append(f"{name}:bool_format")
        out[name] = value in TRUE
    if get.get("no_other_coverage") and not out["no_other_coverage"] and "no_other_coverage:bool_format" not in errors:
        errors.append("no_other_coverage:other_coverage_declared")
    email = get.get("email", "")
    if email and not _EMAIL.match(email):
        errors.append("email:email_format")
    out["email"] = email.lower()
    for name in ("last_name", "first_name", "last_name_ar", "first_name_ar", "birth_place", "address", "track"):
        out[name] = get.get(name, "")[: 250 if name in ("address",) else 120 if name == "track" else 80]
    out["nationality"] = get.get("nationality", "")[:60] or "Marocaine"
    institution = ctx.fixed
    code = get.get("institution_code", "")
    if code and (institution is None or ctx.institutions.get(code) is not institution):
        institution = ctx.institutions.get(code)
        if institution is None:
            errors.append("institution_code:institution_unknown")
        elif ctx.fixed is not None or (ctx.allowed is not None and institution.id not in ctx.allowed):
            errors.append("institution_code:institution_outside_perimeter")
            institution = None
    if institution is not None:
        if not institution.on_list:
            errors.append("institution_code:institution_not_eligible")
        elif not institution.affiliated:
            errors.append("institution_code:institution_not_affiliated")
        out["institution_id"], out["aggregator_id"] = institution.id, institution.aggregator_id
        born = out.get("birth_date")
        if born and not errors:
            if born >= ctx.today or age_on(born, ctx.today) < 14:
                errors.append("birth_date:birth_date_invalid")
            elif not institution.age_exempt and age_on(born, _reference(ctx, out.get("registered_on"))) > ctx.age_limit:
                errors.append("birth_date:age_limit")
    registered = out.get("registered_on")
    if registered and not ctx.year_start <= registered <= ctx.year_end:
        errors.append("registered_on:registration_date_outside_year")
    return (None, errors) if errors else (out, [])


def _reference(ctx: RowContext, registered: dt.date | None) -> dt.date:
    if ctx.age_reference == "registration_date" and registered:
        return registered
    return ctx.year_end if ctx.age_reference == "academic_year_end" else ctx.year_start
