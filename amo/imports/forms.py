from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from amo.common.validators import upload_validator
from amo.imports.readers import TABLE_KINDS
from amo.referentials.models import AcademicYear


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"), validators=[upload_validator(TABLE_KINDS)])
    academic_year_id = forms.TypedChoiceField(label=_("Academic year"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["academic_year_id"]).choices = [
            (y.pk, y.code) for y in AcademicYear.objects.all()
        ]
