"""factory-boy factories for model data; comments go through the service so paths are real."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth import get_user_model

from articles.models import Article
from claims.models import Claim, Evidence
from discussions.models import Comment
from discussions.services import comment_create
from energy.models import Observation, Series

DEFAULT_BODY = (
    "France produced about 65 % of its electricity from nuclear power in 2023. "
    "Data centres used around 415 TWh of electricity worldwide in 2024. "
    "Grids will not keep up with what is coming."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    body = DEFAULT_BODY
    language = "en"
    status = Article.Status.PUBLISHED
    source_name = "Example"


class ClaimFactory(factory.django.DjangoModelFactory):
    """An anchored claim; pass `start` and `end` to pick the span (defaults: first sentence)."""

    class Meta:
        model = Claim
        # the tags hook writes through the tag manager; no second save of the claim is needed
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    start = 0
    end = factory.LazyAttribute(lambda c: c.article.body.find(".") + 1 or len(c.article.body))
    quote = factory.LazyAttribute(lambda c: c.article.body[c.start : c.end])
    status = Claim.Status.PUBLISHED

    @factory.post_generation
    def tags(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.tags.add(*extracted)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    url = factory.Sequence(lambda n: f"https://example.org/evidence/{n}")
    title = factory.Sequence(lambda n: f"Evidence {n}")
    publisher = "Example Publisher"
    stance = Evidence.Stance.SUPPORTS


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    source = Series.Source.OWID
    dataset = "owid-energy-data"
    entity = "France"
    metric = factory.Sequence(lambda n: f"metric_{n}")
    title = factory.Sequence(lambda n: f"Series {n}")
    unit = "TWh"
    license = "CC BY 4.0"
    attribution = "Our World in Data"


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    series = factory.SubFactory(SeriesFactory)
    period = factory.Sequence(lambda n: dt.date(2000 + n, 1, 1))
    value = 1.0


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment number {n}")
    parent = None
    claim = None

    @classmethod
    def _create(cls, model_class: type[Comment], *args: Any, **kwargs: Any) -> Comment:
        return comment_create(**kwargs)
