from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amo.common.textrules import COMMENT, TextRule
from amo.common.validators import RuleTextField, validate_email_address
from amo.organisations.models import AffiliationRejectReason, Institution


class AffiliationRequestForm(forms.Form):
    institutions = forms.ModelMultipleChoiceField(
        label=_("Institutions to affiliate"),
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one institution.")},
    )

    def __init__(self, *args: Any, queryset: QuerySet[Institution] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institutions"]
        if queryset is not None and isinstance(field, forms.ModelMultipleChoiceField):
            field.queryset = queryset


ADDRESS = TextRule(250)  # a legal entity's, as its model takes it


class AffiliationRejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=AffiliationRejectReason.choices)
    comment = RuleTextField(label=_("Comment"), required=False, rule=COMMENT, widget=forms.Textarea(attrs={"rows": 3}))


class LegalEntityContactForm(forms.Form):
    email = forms.CharField(  # the e-mail rule of every entry (page, API, list)
        label=_("E-mail"), required=False, validators=[validate_email_address], widget=forms.EmailInput()
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    address = RuleTextField(label=_("Address"), required=False, rule=ADDRESS)
    ice = forms.CharField(label=_("ICE"), required=False, max_length=20)
