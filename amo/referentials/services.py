import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.db import transaction

from amo.accounts.actors import ActingUser
from amo.common import clock
from amo.common.errors import DomainError
from amo.common.readers import UnreadableFile, normalise_header, read_table
from amo.common.services import audit_record
from amo.referentials.errors import DrugListError, ReferentialError
from amo.referentials.models import Drug, DrugList, DrugListIssue, RegimeParameter
from amo.referentials.rules import DRUG_COLUMNS, DrugFacts, drug_row_check, parse_parameter


@transaction.atomic
def parameter_set(
    *, actor: ActingUser, key: str, value: str, valid_from: dt.date, source: str = "", source_ar: str = ""
) -> RegimeParameter:
    """Start a new value of a parameter at a date; the value in force ends the day before."""
    try:
        parse_parameter(key, value)
    except ValueError as exc:
        raise DomainError(str(exc), fields={"value": [str(exc)]}) from exc
    latest = RegimeParameter.objects.select_for_update().filter(key=key).order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise DomainError(ReferentialError.BEFORE_LATEST, fields={"valid_from": [""]})
    before: dict[str, Any] = {}
    if latest is not None and (latest.valid_to is None or latest.valid_to >= valid_from):
        before = {"value": latest.value, "valid_to": latest.valid_to}
        latest.valid_to = valid_from - dt.timedelta(days=1)
        latest.save(update_fields=["valid_to"])
    row = RegimeParameter.objects.create(
        key=key, value=value.strip(), valid_from=valid_from, source=source, source_ar=source_ar
    )
    audit_record(
        actor=actor,
        action="parameter_set",
        obj=row,
        before=before,
        after={"key": key, "value": row.value, "valid_from": valid_from},
        reason=source,
    )
    return row


@transaction.atomic
def drug_list_import(
    *, actor: ActingUser, path: str | Path, filename: str, valid_from: dt.date, source: str = ""
) -> DrugList:
    """Load a drug file (CSV, XLSX or JSON) as a new version of the list, in force from
    `valid_from`; the version in force ends the day before. Each refused row is reported with its
    reason (no price, base above price, a code repeated: the first row is kept); the good rows
    load. A file with no good row loads nothing."""
    latest = DrugList.objects.select_for_update().order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise DomainError(DrugListError.NOT_AFTER_LATEST, fields={"valid_from": [""]})
    try:
        table = read_table(path, filename)
    except UnreadableFile as exc:
        raise DomainError(DrugListError.UNREADABLE, fields={"file": [""]}) from exc
    columns = {normalise_header(name): index for index, name in enumerate(table.header)}
    where = {
        field: next((columns[s] for s in spellings if s in columns), None) for field, spellings in DRUG_COLUMNS.items()
    }
    if where["code"] is None or where["name"] is None or where["ppv"] is None:
        raise DomainError(DrugListError.NO_COLUMNS, fields={"file": [""]})
    drugs: list[DrugFacts] = []
    issues: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    read = 0
    for number, row in enumerate(table.rows, start=2):
        if not any(str(cell).strip() for cell in row):
            continue
        read += 1
        values = {field: (row[i] if i is not None and i < len(row) else "") for field, i in where.items()}
        facts, reason = drug_row_check(values)
        if facts is not None and facts.code in seen:
            facts, reason = None, DrugListError.CODE_REPEATED.value
        if facts is None:
            issues.append((number, str(values["code"] or "")[:32], reason))
            continue
        seen.add(facts.code)
        drugs.append(facts)
    if not drugs:
        raise DomainError(DrugListError.EMPTY, fields={"file": [""]})
    before: dict[str, Any] = {}
    if latest is not None and (latest.valid_to is None or latest.valid_to >= valid_from):
        before = {"previous": latest.pk, "valid_to": latest.valid_to}
        latest.valid_to = valid_from - dt.timedelta(days=1)
        latest.save(update_fields=["valid_to"])
    version = DrugList.objects.create(
        valid_from=valid_from,
        filename=filename[:200],
        source=source[:250],
        rows_read=read,
        rows_loaded=len(drugs),
        rows_refused=len(issues),
        imported_by=actor,
        created_at=clock.now(),
    )
    Drug.objects.bulk_create(
        (Drug(drug_list=version, **asdict(facts)) for facts in drugs),
        batch_size=1000,
    )
    DrugListIssue.objects.bulk_create(
        (DrugListIssue(drug_list=version, row_number=n, code=code, reason=reason) for n, code, reason in issues),
        batch_size=1000,
    )
    audit_record(
        actor=actor,
        action="drug_list_import",
        obj=version,
        before=before,
        after={"valid_from": valid_from, "loaded": len(drugs), "refused": len(issues), "file": filename},
        reason=source,
    )
    return version
