from django import forms
from django.utils.translation import gettext_lazy as _

from amo.common.validators import upload_validator
from amo.contributions.statements import STATEMENT_KINDS
from amo.imports.readers import CSV_KINDS


class TransferForm(forms.Form):
    bank_reference = forms.CharField(label=_("Bank transfer reference"), max_length=40)
    amount = forms.DecimalField(label=_("Amount (MAD)"), max_digits=12, decimal_places=2)
    transferred_on = forms.DateField(label=_("Transfer date"), widget=forms.DateInput(attrs={"type": "date"}))
    students_file = forms.FileField(
        label=_("Or a list of the students' document numbers (CSV, one per line)"),
        required=False,
        validators=[upload_validator(CSV_KINDS)],
    )


class StatementForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement (CSV export or camt.053 XML)"), validators=[upload_validator(STATEMENT_KINDS)]
    )


class MatchForm(forms.Form):
    transfer_id = forms.IntegerField(label=_("Declared transfer"))


class DismissForm(forms.Form):
    comment = forms.CharField(label=_("Why"), max_length=250)
