from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from amo.referentials.models import (
    AcademicYear,
    AldDisease,
    CoverageScheme,
    NgapKey,
    RegimeParameter,
    ReimbursementRate,
)


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin[AcademicYear]):
    list_display = ["code", "starts_on", "ends_on", "registration_open"]


@admin.register(RegimeParameter)
class RegimeParameterAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history ships no types
    list_display = ["key", "value", "valid_from", "valid_to", "source"]
    list_filter = ["key"]


@admin.register(CoverageScheme)
class CoverageSchemeAdmin(admin.ModelAdmin[CoverageScheme]):
    list_display = ["code", "name_fr", "name_ar", "valid_from", "valid_to"]


@admin.register(NgapKey)
class NgapKeyAdmin(admin.ModelAdmin[NgapKey]):
    list_display = [
        "letter",
        "sector",
        "value",
        "coefficient_min",
        "coefficient_max",
        "category",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["sector", "category"]


@admin.register(ReimbursementRate)
class ReimbursementRateAdmin(admin.ModelAdmin[ReimbursementRate]):
    list_display = ["category", "sector", "rate", "base", "valid_from", "valid_to", "source"]


@admin.register(AldDisease)
class AldDiseaseAdmin(admin.ModelAdmin[AldDisease]):
    list_display = ["number", "name", "known"]
