from typing import Any, cast

from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from amo.common.errors import label_for
from amo.common.text import local_name
from amo.common.textrules import COMMENT, EMAIL_MAX_LENGTH
from amo.common.validators import RuleTextField, validate_email_address
from amo.enrollment import rules
from amo.enrollment.errors import EnrollmentError
from amo.enrollment.models import IdType, RejectReason, Sex
from amo.enrollment.rules import STUDENT_TEXTS
from amo.organisations.selectors import city_local_name, institution_registrable_list
from amo.referentials.selectors import academic_year_list, academic_years_open


def text_field(name: str, label: Any, **kwargs: Any) -> forms.CharField:
    """A field of the registration's texts: its length and rule are the API's and the import's."""
    return RuleTextField(rule=STUDENT_TEXTS[name], label=label, **kwargs)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Codes, numbers and addresses read left to right on an Arabic page too ("+212…", "x@…").
LTR = {"dir": "ltr"}


class RegistrationForm(forms.Form):
    """The registration form of DOMAIN.md §4; identifiers are checked by the service."""

    id_type = forms.ChoiceField(label=_("Identity document"), choices=IdType.choices)
    id_number = forms.CharField(label=_("Document number"), max_length=30, widget=forms.TextInput(attrs=LTR))
    massar = forms.CharField(
        label=_("CNE / Massar code"), max_length=20, required=False, widget=forms.TextInput(attrs=LTR)
    )
    last_name = text_field("last_name", _("Last name (Latin script)"))
    first_name = text_field("first_name", _("First name (Latin script)"))
    last_name_ar = text_field("last_name_ar", _("Last name (Arabic script)"), required=False)
    first_name_ar = text_field("first_name_ar", _("First name (Arabic script)"), required=False)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE)
    birth_place = text_field("birth_place", _("Birth place"))
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])  # chosen, never assumed
    nationality = text_field("nationality", _("Nationality"), initial=pgettext_lazy("nationality", "Moroccan"))
    address = text_field("address", _("Address"))
    email = forms.CharField(
        label=_("E-mail"),
        validators=[validate_email_address],
        widget=forms.EmailInput(attrs={**LTR, "maxlength": str(EMAIL_MAX_LENGTH)}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, widget=forms.TextInput(attrs=LTR))
    institution_id = forms.TypedChoiceField(label=_("Institution"), coerce=int)
    track = text_field("track", _("Track (programme)"))
    fee_paying = forms.BooleanField(label=_("This track is fee-paying"), required=False)
    academic_year_id = forms.TypedChoiceField(label=_("Academic year"), coerce=int)
    registered_on = forms.DateField(label=_("Date of (re-)registration at the institution"), widget=DATE)
    rib = forms.CharField(
        label=_("RIB for reimbursements (24 digits, optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs=LTR),
        help_text=_("Without a RIB, reimbursements are paid by postal order to your address."),
    )
    no_other_coverage = forms.TypedChoiceField(
        label=_(
            "Do you have another basic health coverage (CNSS, CNOPS, FAR, AMO-Tadamon, an employer's fund), "
            "as insured or as dependant?"
        ),
        choices=[
            ("1", _("No, I have no other basic coverage")),
            ("0", _("Yes, I have another coverage")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label_suffix="",  # a question: no colon after its question mark (Arabic "؟" included)
    )
    consent = forms.BooleanField(
        label=_("I consent to the processing of my personal data as described above."),
        required=False,
    )
    acknowledged = forms.BooleanField(
        label=_("I certify that the information given is accurate; this acknowledgement is my electronic signature."),
        required=False,
    )

    def __init__(self, *args: Any, channel_code: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only institutions a student can register at today: listed and affiliated.
        institutions = institution_registrable_list(channel=channel_code)
        cast(forms.ChoiceField, self.fields["institution_id"]).choices = [("", "—")] + [
            (i.pk, f"{local_name(i)} — {city_local_name(i.city, get_language() or 'fr')}") for i in institutions
        ]
        cast(forms.ChoiceField, self.fields["academic_year_id"]).choices = [
            (y.pk, y.code) for y in academic_years_open()
        ]


class ClaimForm(forms.Form):
    """The student names the record to link to their account (its identity document)."""

    id_type = forms.ChoiceField(label=_("Identity document"), choices=IdType.choices)
    id_number = forms.CharField(label=_("Document number"), max_length=30, widget=forms.TextInput(attrs=LTR))


class RibForm(forms.Form):
    """The student's new RIB; checked by the service (24 digits and key, or an IBAN)."""

    rib = forms.CharField(
        label=_("New RIB (24 digits) or IBAN"),
        max_length=40,
        widget=forms.TextInput(attrs={**LTR, "autocomplete": "off", "inputmode": "numeric"}),
        help_text=_("The account must be in your name: reimbursements are paid to it."),
    )


class ClaimLinkForm(ClaimForm):
    """The institution links one of its students' records to the account the student names."""

    email = forms.CharField(  # the e-mail rule of every entry (page, API, list)
        label=_("E-mail address of the student's account"),
        validators=[validate_email_address],
        widget=forms.EmailInput(attrs={**LTR, "maxlength": str(EMAIL_MAX_LENGTH)}),
    )
    checked = forms.BooleanField(
        label=_("I have checked the student's identity document in person."),
        label_suffix="",  # a sentence: no colon after its full stop
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("validated", _("Validate")),
            ("to_correct", _("Send back for correction")),
            ("rejected", _("Reject")),
        ],
    )
    reason = forms.ChoiceField(
        label=_("Reason (for a rejection)"),
        choices=[("", "—"), *RejectReason.choices],
        required=False,
    )
    comment = RuleTextField(
        label=_("Comment"),
        required=False,
        rule=COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        """The service's rule, checked here too so that the agent's choice is shown again, with
        the message beside the field to complete, instead of being lost."""
        data = super().clean() or {}
        if "action" in data:
            problem = rules.decision_problem(
                data["action"], data.get("reason", ""), data.get("comment", ""), RejectReason.values
            )
            if problem:
                # A known reason ("other") lacking its comment: the comment is what to complete.
                needs_comment = problem == EnrollmentError.COMMENT_REQUIRED or data.get("reason") == "other"
                self.add_error("comment" if needs_comment else "reason", str(label_for(problem)))
        return data


class BulkDecisionForm(DecisionForm):
    ids = forms.CharField(widget=forms.MultipleHiddenInput, required=False)


class CertificationForm(forms.Form):
    academic_year_id = forms.TypedChoiceField(label=_("Academic year"), coerce=int)
    payment_references = RuleTextField(
        label=_("Bank transfer references (one per line)"),
        help_text=_("Only where a contribution is due: private institutions and fee-paying tracks."),
        required=False,
        rule=COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I certify, for the legal entity, that this list of eligible students is accurate.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["academic_year_id"]).choices = [
            (y.pk, y.code) for y in academic_year_list()
        ]


class CloseListForm(forms.Form):
    academic_year_id = forms.TypedChoiceField(label=_("Academic year"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["academic_year_id"]).choices = [
            (y.pk, y.code) for y in academic_year_list()
        ]
