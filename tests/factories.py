"""factory_boy factories for every model of the dispute record."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from disputes import models as m
from disputes.accounts.groups import READERS, staff_groups_sync
from disputes.models.deferred import derived_data_deferred


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        """Staff are Readers unless told otherwise: ``groups=[]`` for staff in no group, ``groups=["Editors"]``."""
        if not create:
            return
        if extracted is None:
            extracted = [READERS] if obj.is_staff and not obj.is_superuser else []
        if extracted:
            names = {getattr(g, "name", g) for g in extracted}
            if Group.objects.filter(name__in=names).count() < len(names):
                staff_groups_sync()  # a transactional test flushed the groups migrate made
            obj.groups.set(Group.objects.filter(name__in=names))


class ReaderFactory(UserFactory):
    """Staff in the Readers group: who may follow disputes and be told about them."""

    is_staff = True


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


class ProceedingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Proceeding

    dispute = factory.SubFactory(DisputeFactory)
    kind = m.ProceedingKind.LAWSUIT
    title = factory.Sequence(lambda n: f"Claimant {n} v. Respondent")
    forum = factory.SubFactory(OrganizationFactory, kind=m.OrganizationKind.COURT, court_level="trial")
    filed_on = dt.date(2024, 8, 19)


class CauseOfActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CauseOfAction
        django_get_or_create = ("slug",)

    slug = "copyright-infringement"
    name = "Copyright infringement"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Claim

    proceeding = factory.SubFactory(ProceedingFactory)
    cause = factory.SubFactory(CauseOfActionFactory)


class RulingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Ruling

    proceeding = factory.SubFactory(ProceedingFactory)
    kind = m.RulingKind.SUMMARY_JUDGMENT
    decided_on = dt.date(2025, 6, 23)
    title = factory.Sequence(lambda n: f"Ruling {n}")


# --- A CODA v. OpenAI-like scenario for the dashboard's tests (views, filters, browser) -----------------------


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Jurisdiction
        django_get_or_create = ("code",)

    code = "JP"
    name = "Japan"
    name_ja = "日本"


# The two builders below write many records on the same few disputes: like the demo loader, they bring search
# documents and latest activity up to date once at the end (the same rows as saving one by one would leave).
@derived_data_deferred()
def build_coda_scenario():
    """CODA's written request to OpenAI over Sora 2 (two demands, no reply, a disputed date), the Japanese
    government's statements (Minister Kiuchi, 城内実), and a second, answered dispute (Getty v. Stability) to
    filter against. Returns a namespace of the objects. Dates are the real ones: 2025."""
    from types import SimpleNamespace

    japan = JurisdictionFactory(code="JP", name="Japan", name_ja="日本")
    uk = JurisdictionFactory(code="GB", name="United Kingdom", name_ja="イギリス")
    coda = OrganizationFactory(
        kind=m.OrganizationKind.TRADE_ASSOCIATION,
        name="Content Overseas Distribution Association",
        name_original="一般社団法人コンテンツ海外流通促進機構",
        short_name="CODA",
        slug="coda",
    )
    openai = OrganizationFactory(
        kind=m.OrganizationKind.AI_DEVELOPER,
        name="OpenAI",
        short_name="OpenAI",
        slug="openai",
        country="US",
        timezone="America/Los_Angeles",
    )
    ghibli = OrganizationFactory(name="Studio Ghibli", name_original="スタジオジブリ", slug="studio-ghibli")
    bandai = OrganizationFactory(name="Bandai Namco", name_original="バンダイナムコ", slug="bandai-namco")
    cabinet = OrganizationFactory(
        kind=m.OrganizationKind.GOVERNMENT,
        name="Intellectual Property Strategy Promotion Secretariat",
        name_original="内閣府知的財産戦略推進事務局",
        slug="ip-secretariat",
    )
    MembershipFactory(association=coda, member=ghibli)
    MembershipFactory(association=coda, member=bandai)
    kiuchi = PersonFactory(
        name="Minoru Kiuchi",
        name_original="城内実",
        aliases="Minoru Jouchi",
        position="Minister of State for IP strategy",
        organization=cabinet,
    )
    sora = AIProductFactory(name="Sora 2", slug="sora-2", developer=openai, modality=m.Modality.VIDEO)

    coda_site = SourceFactory(
        url="https://coda-cj.jp/en/news/817",
        title="CODA requests OpenAI regarding Sora 2",
        publisher="CODA",
        reliability=m.Reliability.PRIMARY,
    )
    enduins = SourceFactory(
        url="https://www.enduins.com/news/sora-2",
        title="Japan's top creators take a stand",
        publisher="Enduins",
        reliability=m.Reliability.LOW,
    )
    gigazine = SourceFactory(
        url="https://gigazine.net/news/20251016-japan-gov-openai-sora-2/",
        publisher="Gigazine",
        language="ja",
    )

    dispute = DisputeFactory(
        title="CODA v. OpenAI (Sora 2)",
        title_ja="CODA対OpenAI（Sora 2）",
        slug="coda-v-openai-sora-2",
        summary="Japanese rights holders object to Sora 2 generating their characters.",
        status_note="awaiting response (no public reply found)",
    )
    dispute.jurisdictions.add(japan)
    dispute.products.add(sora)
    DisputePartyFactory(dispute=dispute, organization=coda, role=m.PartyRole.CLAIMANT)
    DisputePartyFactory(dispute=dispute, organization=openai, role=m.PartyRole.RESPONDENT)
    DisputePartyFactory(dispute=dispute, organization=cabinet, role=m.PartyRole.GOVERNMENT)

    letter = DemandLetterFactory(
        dispute=dispute,
        title="Written request about the operation of Sora 2",
        title_original="要望書",
        sender=coda,
        recipient=openai,
        dated_on=dt.date(2025, 10, 27),
        sent_on=dt.date(2025, 10, 27),
        announced_on=dt.date(2025, 10, 28),
        response_deadline_on=dt.date(2025, 11, 26),
        deadline_source=m.DeadlineSource.POLICY,
        on_behalf_note="at the request of its member companies",
        timezone="Asia/Tokyo",
    )
    letter.products.add(sora)
    letter.sources.add(coda_site)
    demands = [
        DemandFactory(
            letter=letter,
            number=1,
            text_en="Do not use CODA members' content for machine learning without permission.",
            text_original="Sora 2の運用において、CODA会員社のコンテンツを無許諾で学習対象としないこと",
            original_language="ja",
        ),
        DemandFactory(
            letter=letter,
            number=2,
            text_en="Respond sincerely to claims and inquiries from CODA member companies.",
            text_original="CODA会員社からの申立て・相談に真摯に対応すること",
            original_language="ja",
        ),
    ]
    ReportedDateFactory(record=letter, field="sent_on", date=dt.date(2025, 10, 27), source=coda_site)
    ReportedDateFactory(record=letter, field="sent_on", date=dt.date(2025, 10, 28), source=enduins)

    launch = EventFactory(
        kind=m.EventKind.LAUNCH,
        date=dt.date(2025, 9, 30),
        title="OpenAI launches Sora 2",
        actor=openai,
        disputes=[dispute],
    )
    launch.products.add(sora)
    kiuchi_event = EventFactory(
        kind=m.EventKind.GOVERNMENT,
        date=dt.date(2025, 10, 10),
        title="Minister discloses the government's request to OpenAI",
        title_original="政府がOpenAIへの要請を公表",
        summary="Anime and manga are irreplaceable treasures, the minister says.",
        actor=cabinet,
        actor_person=kiuchi,
        disputes=[dispute],
    )
    kiuchi_event.sources.add(gigazine)
    announcement = EventFactory(
        kind=m.EventKind.STATEMENT,
        date=dt.date(2025, 10, 28),
        title="CODA announces its request",
        actor=coda,
        disputes=[dispute],
    )

    # A second dispute, in the UK, with answered letters, to filter against.
    getty = OrganizationFactory(name="Getty Images", slug="getty-images", country="US")
    stability = OrganizationFactory(
        kind=m.OrganizationKind.AI_DEVELOPER, name="Stability AI", slug="stability-ai"
    )
    diffusion = AIProductFactory(name="Stable Diffusion", slug="stable-diffusion", developer=stability)
    other = DisputeFactory(
        title="Getty Images v. Stability AI",
        slug="getty-v-stability",
        summary="Photographs used to train an image model.",
        stage=m.Stage.LITIGATION,
    )
    other.jurisdictions.add(uk)
    other.products.add(diffusion)
    DisputePartyFactory(dispute=other, organization=getty, role=m.PartyRole.CLAIMANT)
    DisputePartyFactory(dispute=other, organization=stability, role=m.PartyRole.RESPONDENT)
    assessor = UserFactory(username="assessor", first_name="Aki", last_name="Tanaka")
    other_letter = DemandLetterFactory(
        dispute=other,
        kind=m.LetterKind.LETTER_BEFORE_ACTION,
        title="Letter before action",
        sender=getty,
        recipient=stability,
        dated_on=dt.date(2023, 1, 16),
        sent_on=dt.date(2023, 1, 16),
        announced_on=None,
        response_deadline_on=dt.date(2023, 1, 30),
        deadline_source=m.DeadlineSource.STATED,
        timezone="Europe/London",
        status=m.LetterStatus.CLOSED,
        status_note="Overtaken by the lawsuit.",
    )
    evasive = ResponseFactory(
        letter=other_letter,
        responded_on=dt.date(2023, 1, 20),
        title="Stability answers the letter before action",
        summary="It denies infringement without addressing the demands.",
        evasive=True,
        assessed_by=assessor,
        assessment_reason="Does not engage with the claims.",
    )
    unassessed = ResponseFactory(
        letter=other_letter,
        responded_on=dt.date(2023, 1, 28),
        channel=m.ResponseChannel.PUBLIC_STATEMENT,
        title="Stability statement on the claim",
    )
    lawsuit = EventFactory(
        kind=m.EventKind.LAWSUIT,
        date=dt.date(2023, 2, 3),
        title="Getty sues in Delaware",
        actor=getty,
        disputes=[other],
    )
    return SimpleNamespace(
        japan=japan,
        uk=uk,
        coda=coda,
        openai=openai,
        ghibli=ghibli,
        bandai=bandai,
        cabinet=cabinet,
        kiuchi=kiuchi,
        sora=sora,
        dispute=dispute,
        letter=letter,
        demands=demands,
        launch=launch,
        kiuchi_event=kiuchi_event,
        announcement=announcement,
        getty=getty,
        stability=stability,
        diffusion=diffusion,
        other=other,
        other_letter=other_letter,
        evasive=evasive,
        unassessed=unassessed,
        lawsuit=lawsuit,
        assessor=assessor,
        sources=[coda_site, enduins, gigazine],
    )


@derived_data_deferred()
def add_filler(count: int, *, prefix: str = "filler"):
    """``count`` more disputes, each with a party, a product, a letter with a demand and a response, and two
    events: data of another size for the query-count tests."""
    for n in range(count):
        dispute = DisputeFactory(title=f"{prefix} dispute {n}", slug=f"{prefix}-{n}")
        claimant = OrganizationFactory(slug=f"{prefix}-claimant-{n}")
        DisputePartyFactory(dispute=dispute, organization=claimant, role=m.PartyRole.CLAIMANT)
        product = AIProductFactory(slug=f"{prefix}-product-{n}")
        dispute.products.add(product)
        letter = DemandLetterFactory(dispute=dispute, sender=claimant, recipient=product.developer)
        letter.products.add(product)
        letter.sources.add(SourceFactory())
        DemandFactory(letter=letter, number=1)
        ResponseFactory(letter=letter)
        for day in (3, 5):
            event = EventFactory(date=dt.date(2025, 10, day), disputes=[dispute], actor=claimant)
            event.sources.add(SourceFactory())
