from django import forms
from django.utils.translation import gettext_lazy as _

from amo.common.readers import CSV_KINDS
from amo.common.textrules import TextRule
from amo.common.validators import RuleTextField, upload_validator
from amo.contributions.statements import STATEMENT_KINDS

# The rules of these texts, for the page and the API alike (lengths: the models').
BANK_REFERENCE = TextRule(40, required=True)
DISMISS_COMMENT = TextRule(250, required=True, multi_line=True)


class TransferForm(forms.Form):
    bank_reference = RuleTextField(label=_("Bank transfer reference"), rule=BANK_REFERENCE)
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
    comment = RuleTextField(label=_("Why"), rule=DISMISS_COMMENT)
