from django import forms
from django.utils.translation import gettext_lazy as _

from amo.common.readers import CSV_KINDS, TABLE_KINDS
from amo.common.validators import upload_validator
from amo.eligibility.models import LoadKind

MAX_UPLOAD = 2 * 1024 * 1024 * 1024


class RegistryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of file"), choices=LoadKind.choices)
    file = forms.FileField(label=_("Registry file (CSV)"), validators=[upload_validator(TABLE_KINDS)])


class VerdictForm(forms.Form):
    file = forms.FileField(label=_("ANAM's verdict file (CSV)"), validators=[upload_validator(CSV_KINDS)])
