from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amo.common.errors import label_for
from amo.common.money import format_mad
from amo.common.text import colon, local_name, ltr_run, own_run
from amo.contributions.models import ContributionStatus
from amo.coverage.models import ClosureReason
from amo.eligibility.models import Reason, Scheme
from amo.enrollment.models import RegistrationStatus, RejectReason
from amo.organisations.selectors import city_local_name

register = template.Library()


register.filter("local_name", local_name)
register.filter("ltr_run", ltr_run)
register.filter("own_run", own_run)


@register.filter
def bdi(value: Any) -> str:
    """An HTML run in its own direction (a comment, a name): its full stop stays at its end."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def city(name: str) -> str:
    """A city's name (kept in French on the institution, office or provider) in the page's language."""
    return city_local_name(str(name or ""), get_language() or "fr")


@register.filter
def local_text(obj: Any, prefix: str) -> str:
    return local_name(obj, prefix)


@register.filter
def mad(amount: Any) -> str:
    return format_mad(amount)


@register.simple_tag(takes_context=True)
def query_with(context: Any, **params: Any) -> str:
    """The current query string with some parameters replaced (keeps filters across pages). A
    page shown in answer to a form posted elsewhere passes the query it stands for as `query`."""
    query = (context.get("query") or context["request"].GET).copy()
    for key, value in params.items():
        query[key] = value
    return str(query.urlencode())


@register.filter
def split(value: str) -> list[str]:
    return value.split()


@register.filter
def field(form: Any, name: str) -> Any:
    return form[name]


@register.filter
def ltr(value: Any) -> str:
    """Keep a left-to-right token (an academic year 2026-2027, a range) whole in Arabic pages:
    without isolation the bidi algorithm shows 2027-2026."""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def registration_status(value: str) -> str:
    """The translated label of a registration status code (for aggregated rows)."""
    try:
        return str(RegistrationStatus(value).label)
    except ValueError:
        return value


register.simple_tag(colon, name="colon")


@register.filter
def reason_label(value: str) -> str:
    """The translated label of a reason code written on a timeline (rejection, ANAM refusal,
    closure) or of a scheme; any other text is shown as written."""
    for choices in (RejectReason, Reason, ClosureReason, Scheme):
        if value in choices.values:
            return str(choices(value).label)
    if value == "recheck":
        return str(_("sent again for the check"))
    return value


@register.filter
def contribution_status(value: str) -> str:
    try:
        return str(ContributionStatus(value).label)
    except ValueError:
        return value


@register.filter
def anam_refusal(event: Any) -> str:
    """Why ANAM refused a request, from its refusal step (given by the view): the reason and,
    when covered elsewhere, the scheme."""
    if event is None:
        return ""
    label = reason_label(event.reason)
    return f"{label}{colon()} {reason_label(event.comment)}" if event.comment else label


@register.filter
def code_label(value: str) -> str:
    """The translated label of any registered code (an error or a per-line reason)."""
    return str(label_for(value))
