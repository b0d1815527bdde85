"""People and organisations: users in each role, organisations and their members."""

import factory

from accounts.models import Membership, Organisation, OrganisationKind, Role, User

PASSWORD = "correct-horse-battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.APPLICANT
    language = "en"
    time_zone = "Asia/Jakarta"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    role = Role.STAFF
    is_staff = True
    time_zone = "Asia/Seoul"
    language = "en"  # tests that are about Korean say language="ko" themselves


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"City Government {n}")
    country = "ID"
    kind = OrganisationKind.CITY
    region_city = factory.Sequence(lambda n: f"City {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    level = Membership.Level.ADMIN


def applicant(**kwargs) -> User:
    """An applicant who belongs to an organisation (pass organisation=... to share one)."""
    organisation = kwargs.pop("organisation", None) or OrganisationFactory()
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, organisation=organisation)
    return user
