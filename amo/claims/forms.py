from django import forms
from django.utils.translation import gettext_lazy as _

from amo.claims.models import CareFileKind, LineKind
from amo.referentials.models import CareCategory, CareSector

DATE = forms.DateInput(attrs={"type": "date"})


class PreDeclareForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of file"), choices=CareFileKind.choices)
    first_act_on = forms.DateField(label=_("Date of the first act"), widget=DATE)
    declared_amount = forms.DecimalField(label=_("Amount paid (MAD)"), max_digits=12, decimal_places=2)


class FindForm(forms.Form):
    q = forms.CharField(label=_("File number (or its QR code) or CIN"), max_length=40)


class DepositNewForm(PreDeclareForm):
    id_number = forms.CharField(label=_("Student's CIN"), max_length=20)


class LineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of line"), choices=LineKind.choices)
    act_on = forms.DateField(label=_("Act date"), widget=DATE)
    practitioner_inpe = forms.CharField(label=_("Practitioner's INPE"), max_length=20)
    sector = forms.ChoiceField(label=_("Sector"), choices=CareSector.choices)
    category = forms.ChoiceField(
        label=_("Care category (if not the key's)"), choices=[("", "—"), *CareCategory.choices], required=False
    )
    letter = forms.CharField(label=_("Letter key"), max_length=8, required=False)
    coefficient = forms.DecimalField(label=_("Coefficient"), max_digits=8, decimal_places=2, required=False)
    drug_code = forms.CharField(label=_("Drug code"), max_length=32, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), required=False)
    amount_paid = forms.DecimalField(label=_("Amount paid (MAD)"), max_digits=12, decimal_places=2)
    care_form_present = forms.BooleanField(label=_("Care form present"), required=False, initial=True)
    prescription_present = forms.BooleanField(label=_("Prescription present"), required=False, initial=True)


class ReceiveForm(forms.Form):
    missing = forms.CharField(
        label=_("Files missing (numbers, one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    extra = forms.CharField(
        label=_("Extra files found (numbers, one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
