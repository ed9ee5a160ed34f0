"""City, region and provider names in the reader's language (issue 13, item 12: they stayed in
French on Arabic pages). The Arabic names are data: the City table, the regions' and providers'
name_ar."""

from typing import Any

import pytest

from amo.organisations.models import City, Region
from amo.organisations.selectors import city_local_name, city_names_ar

pytestmark = pytest.mark.django_db


def test_a_known_city_reads_in_arabic_and_an_unknown_one_stays_as_kept() -> None:
    assert city_local_name("Rabat", "ar") == "الرباط"
    assert city_local_name("Rabat", "fr") == "Rabat"
    assert city_local_name("Bouznika", "ar") == "Bouznika"
    City.objects.create(name_fr="Bouznika", name_ar="بوزنيقة")
    assert city_local_name("Bouznika", "ar") == "بوزنيقة"  # the cache forgot on save
    City.objects.filter(name_fr="Bouznika").delete()
    city_names_ar.cache_clear()


def test_the_provider_dashboard_names_provider_region_and_city_in_arabic(world: Any) -> None:
    provider = world.mine.provider
    provider.name_ar = "مصحة الأمل"
    provider.save(update_fields=["name_ar"])
    client = world.client("provider")
    client.cookies["amo_language"] = "ar"
    html = client.get("/dashboard/").content.decode()
    assert "مصحة الأمل" in html and provider.name not in html
    assert Region.objects.get(code="04").name_ar in html


@pytest.mark.parametrize(("language", "city"), [("fr", "Casablanca"), ("ar", "الدار البيضاء")])
def test_the_providers_list_shows_cities_in_the_readers_language(world: Any, language: str, city: str) -> None:
    client = world.client("admin")
    client.cookies["amo_language"] = language
    html = client.get("/organisations/providers/").content.decode()
    assert f"<td>{city}</td>" in html


def test_codes_keep_their_direction_in_the_bilingual_pdf(world: Any) -> None:
    # Issue 13, item 12: a code such as EMSI-CASA read CASA-EMSI in the Arabic part of a PDF.
    import datetime as dt
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    institution = world.mine.institution
    institution.code = "EMSI-CASA"
    request = SimpleNamespace(number="AFF-2026-00007")
    html = render_to_string(
        "organisations/affiliation_certificate.html",
        {
            "request": request,
            "entity": world.mine.legal_entity,
            "institutions": [institution],
            "decided_on": dt.date(2026, 10, 1),
            "verification_code": "ABCD-EFGH",
        },
    )
    assert '<bdi dir="ltr">EMSI-CASA</bdi>' in html
    assert html.count('<bdi dir="ltr">AFF-2026-00007</bdi>') == 2  # the French title and the Arabic one
    assert '<bdi dir="ltr">ABCD-EFGH</bdi>' in html
