from django import forms
from django.utils.translation import gettext_lazy as _

from amo.eligibility.models import LoadKind

MAX_UPLOAD = 2 * 1024 * 1024 * 1024


class RegistryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of file"), choices=LoadKind.choices)
    file = forms.FileField(label=_("Registry file (CSV)"))


class VerdictForm(forms.Form):
    file = forms.FileField(label=_("ANAM's verdict file (CSV)"))
