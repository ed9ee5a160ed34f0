from django import forms
from django.utils.translation import gettext_lazy as _

from amo.common.readers import DATA_KINDS
from amo.common.validators import upload_validator
from amo.referentials.models import ParameterKey


class ParameterSetForm(forms.Form):
    key = forms.ChoiceField(label=_("Parameter"), choices=ParameterKey.choices)
    value = forms.CharField(label=_("New value"), max_length=200)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Source (text, decision, note)"), max_length=250, required=False)
    source_ar = forms.CharField(
        label=_("Source in Arabic"), max_length=250, required=False, widget=forms.TextInput(attrs={"dir": "rtl"})
    )


class DrugListForm(forms.Form):
    file = forms.FileField(label=_("Drug file (CSV, XLSX or JSON)"), validators=[upload_validator(DATA_KINDS)])
    valid_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Source (text, decision, note)"), max_length=250, required=False)
