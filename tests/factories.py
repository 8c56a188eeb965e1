"""factory_boy factories for every model of the dispute record."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from disputes import models as m


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Source

    url = factory.Sequence(lambda n: f"https://news.example.org/article/{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    publisher = "Example News"
    language = "en"
    reliability = m.Reliability.SECONDARY


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Organization

    kind = m.OrganizationKind.RIGHTS_HOLDER
    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")
    country = "JP"
    timezone = "Asia/Tokyo"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Person

    name = factory.Sequence(lambda n: f"Person {n}")


class AIProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.AIProduct

    name = factory.Sequence(lambda n: f"Model {n}")
    slug = factory.Sequence(lambda n: f"model-{n}")
    developer = factory.SubFactory(
        OrganizationFactory,
        kind=m.OrganizationKind.AI_DEVELOPER,
        country="US",
        timezone="America/Los_Angeles",
    )
    modality = m.Modality.VIDEO


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Membership

    association = factory.SubFactory(OrganizationFactory, kind=m.OrganizationKind.TRADE_ASSOCIATION)
    member = factory.SubFactory(OrganizationFactory)


class DisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Dispute

    title = factory.Sequence(lambda n: f"Dispute {n}")
    slug = factory.Sequence(lambda n: f"dispute-{n}")
    summary = "A rights holder objects to an AI product."
    stage = m.Stage.LETTER_SENT


class DisputePartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DisputeParty

    dispute = factory.SubFactory(DisputeFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = m.PartyRole.CLAIMANT


class DemandLetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DemandLetter

    dispute = factory.SubFactory(DisputeFactory)
    title = factory.Sequence(lambda n: f"Request {n}")
    sender = factory.SubFactory(OrganizationFactory, kind=m.OrganizationKind.TRADE_ASSOCIATION)
    recipient = factory.SubFactory(OrganizationFactory, kind=m.OrganizationKind.AI_DEVELOPER, country="US")
    dated_on = dt.date(2025, 10, 27)
    sent_on = dt.date(2025, 10, 27)
    timezone = "Asia/Tokyo"
    response_deadline_on = dt.date(2025, 11, 26)
    deadline_source = m.DeadlineSource.STATED


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Demand

    letter = factory.SubFactory(DemandLetterFactory)
    number = factory.Sequence(lambda n: n + 1)
    text_en = "Do not use members' works for machine learning without permission."


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Response

    letter = factory.SubFactory(DemandLetterFactory)
    responder = factory.SelfAttribute("letter.recipient")
    responded_on = factory.LazyAttribute(lambda o: o.letter.date + dt.timedelta(days=3))
    channel = m.ResponseChannel.LETTER
    summary = "The company replied."
    assessment = m.Assessment.NOT_ASSESSED

    class Params:
        sincere = factory.Trait(
            assessment=m.Assessment.SINCERE, assessed_at=factory.LazyFunction(timezone.now)
        )
        evasive = factory.Trait(
            assessment=m.Assessment.EVASIVE, assessed_at=factory.LazyFunction(timezone.now)
        )


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Event
        skip_postgeneration_save = True

    kind = m.EventKind.STATEMENT
    date = dt.date(2025, 10, 10)
    title = factory.Sequence(lambda n: f"Statement {n}")
    summary = "Someone said something."

    @factory.post_generation
    def disputes(self, create, extracted, **kwargs):
        if create and extracted:
            self.disputes.set(extracted)


class ReportedDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ReportedDate

    record = factory.SubFactory(EventFactory)
    field = "date"
    date = dt.date(2025, 10, 3)
    source = factory.SubFactory(SourceFactory)
