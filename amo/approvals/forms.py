from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amo.approvals import selectors
from amo.common import clock
from amo.common.textrules import COMMENT
from amo.common.validators import RuleTextField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class RequestForm(forms.Form):
    id_number = forms.CharField(label=_("Student's document number (CIN)"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind of request"))
    planned_from = forms.DateField(label=_("Planned from"), widget=forms.DateInput(attrs={"type": "date"}))
    planned_to = forms.DateField(label=_("Planned to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    diagnosis = forms.CharField(label=_("Diagnosis (ICD-10 code, e.g. N18.5)"), max_length=10)
    planned_acts = forms.CharField(
        label=_("Planned acts (one a line: NGAP key or drug code, then the quantity, e.g. K 50)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    quote = forms.DecimalField(label=_("Quote (MAD)"), max_digits=12, decimal_places=2)
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    attachments = MultipleFileField(label=_("Attachments (PDF, PNG or JPEG, 10 MB at most each)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = selectors.kinds_in_force(clock.today(), for_providers=True)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k.code, k.label) for k in kinds]


class AgreeForm(forms.Form):
    ceiling = forms.DecimalField(label=_("Ceiling (MAD)"), max_digits=12, decimal_places=2)
    sessions = forms.IntegerField(label=_("Number of sessions"), required=False, min_value=1, max_value=1000)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Valid to"), widget=forms.DateInput(attrs={"type": "date"}))
    comment = RuleTextField(label=_("Comment"), required=False, rule=COMMENT, widget=forms.Textarea(attrs={"rows": 2}))


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Refusal reason"))
    comment = RuleTextField(label=_("Comment"), required=False, rule=COMMENT, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r.code, r.label) for r in selectors.refusal_reasons_in_force(clock.today())]


class QuestionForm(forms.Form):
    question = RuleTextField(label=_("Information needed"), rule=COMMENT, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label=_("Attachments (PDF, PNG or JPEG, 10 MB at most each)"), required=False)
