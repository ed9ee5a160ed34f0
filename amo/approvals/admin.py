"""CNOPS's administrators keep medical control's referentials here, without code: the kinds of
request, the refusal reasons and the routing rules (which office decides what)."""

from django.contrib import admin

from amo.approvals.models import RefusalReason, RequestKind, RoutingRule


@admin.register(RequestKind)
class RequestKindAdmin(admin.ModelAdmin[RequestKind]):
    list_display = ("code", "label_fr", "label_ar", "for_providers", "valid_from", "valid_to", "position")


@admin.register(RefusalReason)
class RefusalReasonAdmin(admin.ModelAdmin[RefusalReason]):
    list_display = ("code", "label_fr", "label_ar", "valid_from", "valid_to", "position")


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    list_display = ("priority", "region", "kind", "min_amount", "office", "valid_from", "valid_to")
    list_select_related = ("region", "kind", "office")
