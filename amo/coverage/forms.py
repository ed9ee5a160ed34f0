import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from amo.common import clock
from amo.common.textrules import COMMENT
from amo.common.validators import RuleTextField
from amo.coverage.errors import CoverageError


class LookupForm(forms.Form):
    id_number = forms.CharField(label=_("Document number (CIN, residence card or passport)"), max_length=20)
    on = forms.DateField(label=_("Covered on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_id_number(self) -> str:
        value = "".join(self.cleaned_data["id_number"].split()).upper()
        if not 5 <= len(value) <= 20 or not value.isalnum():
            raise forms.ValidationError(str(CoverageError.LOOKUP_ID.label), code=CoverageError.LOOKUP_ID.value)
        return value

    def clean_on(self) -> dt.date:
        return self.cleaned_data.get("on") or clock.today()


class CommentForm(forms.Form):
    comment = RuleTextField(label=_("Comment"), required=False, rule=COMMENT, widget=forms.Textarea(attrs={"rows": 2}))
