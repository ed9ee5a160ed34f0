import factory
from factory.django import DjangoModelFactory

from amo.organisations.models import (
    CareProvider,
    CnopsOffice,
    DepositPoint,
    Institution,
    InstitutionCategory,
    LegalEntity,
    Region,
)
from amo.web.demo import demo_ice


def region(code: str = "04") -> Region:
    return Region.objects.get(code=code)


def category(code: str = "univ") -> InstitutionCategory:
    return InstitutionCategory.objects.get(code=code)


class LegalEntityFactory(DjangoModelFactory[LegalEntity]):
    class Meta:
        model = LegalEntity

    name_fr = factory.Sequence(lambda n: f"Personne morale {n}")
    name_ar = factory.Sequence(lambda n: f"شخص معنوي {n}")
    law = "public"
    city = "Rabat"
    email = factory.Sequence(lambda n: f"entity{n}@example.ma")


class PrivateLegalEntityFactory(LegalEntityFactory):
    law = "private"
    ice = factory.Sequence(lambda n: demo_ice(5_000_000 + n))


class InstitutionFactory(DjangoModelFactory[Institution]):
    class Meta:
        model = Institution

    code = factory.Sequence(lambda n: f"INST-{n:04d}")
    name_fr = factory.Sequence(lambda n: f"Établissement {n}")
    name_ar = factory.Sequence(lambda n: f"مؤسسة {n}")
    city = "Rabat"
    region = factory.LazyFunction(lambda: region("04"))
    category = factory.LazyFunction(lambda: category("univ"))
    legal_entity = factory.SubFactory(LegalEntityFactory)
    on_eligible_list = True


class DelegationFactory(DjangoModelFactory[CnopsOffice]):
    class Meta:
        model = CnopsOffice
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"DR-{n}")
    name_fr = factory.Sequence(lambda n: f"Délégation {n}")
    name_ar = factory.Sequence(lambda n: f"مندوبية {n}")
    kind = "delegation"
    city = "Casablanca"

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class DepositPointFactory(DjangoModelFactory[DepositPoint]):
    class Meta:
        model = DepositPoint

    code = factory.Sequence(lambda n: f"DP-{n}")
    name_fr = factory.Sequence(lambda n: f"Point de dépôt {n}")
    name_ar = factory.Sequence(lambda n: f"نقطة إيداع {n}")
    deposit_channel = "onousc_offices"
    city = "Rabat"
    region = factory.LazyFunction(lambda: region("04"))


class CareProviderFactory(DjangoModelFactory[CareProvider]):
    class Meta:
        model = CareProvider

    name = factory.Sequence(lambda n: f"Clinique {n}")
    kind = "clinic"
    inpe = factory.Sequence(lambda n: f"9{n:08d}")
    city = "Rabat"
    region = factory.LazyFunction(lambda: region("04"))
