from django.contrib import admin

from amo.organisations import models


@admin.register(models.City)
class CityAdmin(admin.ModelAdmin[models.City]):
    list_display = ["name_fr", "name_ar"]
    search_fields = ["name_fr", "name_ar"]


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin[models.Region]):
    list_display = ["code", "name_fr", "name_ar"]


@admin.register(models.Aggregator)
class AggregatorAdmin(admin.ModelAdmin[models.Aggregator]):
    list_display = ["code", "name_fr", "name_ar"]


@admin.register(models.Channel)
class ChannelAdmin(admin.ModelAdmin[models.Channel]):
    list_display = ["code", "name_fr", "aggregator", "deposit_channel", "portal_url"]


class CategoryContributionRegimeInline(
    admin.TabularInline[models.CategoryContributionRegime, models.InstitutionCategory]
):
    model = models.CategoryContributionRegime
    extra = 0
    fields = ["regime", "valid_from", "valid_to", "source"]


@admin.register(models.InstitutionCategory)
class InstitutionCategoryAdmin(admin.ModelAdmin[models.InstitutionCategory]):
    list_display = [
        "code",
        "name_fr",
        "channel",
        "sector",
        "contribution_regime",
        "age_limit_exempt",
    ]
    list_filter = ["channel", "sector"]
    inlines = [CategoryContributionRegimeInline]


@admin.register(models.LegalEntity)
class LegalEntityAdmin(admin.ModelAdmin[models.LegalEntity]):
    list_display = ["name_fr", "law", "ice", "city"]
    search_fields = ["name_fr", "name_ar", "ice"]
    list_filter = ["law"]


@admin.register(models.Institution)
class InstitutionAdmin(admin.ModelAdmin[models.Institution]):
    list_display = [
        "code",
        "name_fr",
        "city",
        "category",
        "legal_entity",
        "on_eligible_list",
        "affiliated_on",
    ]
    search_fields = ["code", "name_fr", "name_ar"]
    list_filter = ["category__channel", "category", "on_eligible_list", "region"]
    autocomplete_fields = ["legal_entity"]


@admin.register(models.CnopsOffice)
class CnopsOfficeAdmin(admin.ModelAdmin[models.CnopsOffice]):
    list_display = ["code", "name_fr", "kind", "city"]
    filter_horizontal = ["regions"]


@admin.register(models.DepositPoint)
class DepositPointAdmin(admin.ModelAdmin[models.DepositPoint]):
    list_display = ["code", "name_fr", "deposit_channel", "city", "region"]


@admin.register(models.CareProvider)
class CareProviderAdmin(admin.ModelAdmin[models.CareProvider]):
    list_display = ["name", "kind", "inpe", "city", "region"]
    search_fields = ["name", "inpe"]
    list_filter = ["kind", "region"]


@admin.register(models.AffiliationRequest)
class AffiliationRequestAdmin(admin.ModelAdmin[models.AffiliationRequest]):
    list_display = ["number", "legal_entity", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in models.AffiliationRequest._meta.fields]
