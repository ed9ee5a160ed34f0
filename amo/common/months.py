"""The month names of dates written out in words, as Morocco writes them in Arabic.

Django writes a date's month with the names of its own catalogue (`django.utils.dates`), in
Arabic those of the Middle East (مايو، يوليو، أغسطس…). The project's catalogue is read before
Django's (LOCALE_PATHS), so the same message ids, marked here for extraction and translated in
`locale/ar` with the names of Morocco's official texts (يناير، فبراير، مارس، أبريل، ماي، يونيو،
يوليوز، غشت، شتنبر، أكتوبر، نونبر، دجنبر), are the ones every page, e-mail and PDF prints.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)

# The month as it stands alone (format "E"), which Django asks with this context.
MONTHS_ALT = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
