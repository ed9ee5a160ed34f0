from django import forms
from django.utils.translation import gettext_lazy as _

from amo.referentials.models import ParameterKey


class ParameterSetForm(forms.Form):
    key = forms.ChoiceField(label=_("Parameter"), choices=ParameterKey.choices)
    value = forms.CharField(label=_("New value"), max_length=200)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Source (text, decision, note)"), max_length=250, required=False)
    source_ar = forms.CharField(
        label=_("Source in Arabic"), max_length=250, required=False, widget=forms.TextInput(attrs={"dir": "rtl"})
    )
