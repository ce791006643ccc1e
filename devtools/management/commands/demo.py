from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from claims.models import Claim, Evidence
from devtools.graph_demo import graph_index_demo, graph_seed_demo
from discussions.models import Comment
from discussions.services import comment_create
from editorial.services.articles import article_import_post

SEED = Path(__file__).resolve().parents[2] / "data" / "demo" / "gate-post-fr.txt"
SEED_TITLE = "L’IA, les centres de données et la course à l’énergie nucléaire"
SEED_SLUG = "ia-centres-de-donnees-course-energie-nucleaire"

ENERGY, GEOPOLITICS, COMPUTE = "energy", "geopolitics", "decentralised compute"
IEA = ("https://www.iea.org/reports/energy-and-ai", "Energy and AI (2025)", "IEA")
IEA_DEMAND = (
    "https://www.iea.org/reports/energy-and-ai/energy-demand-from-ai",
    "Energy and AI: energy demand from AI",
    "IEA",
)
OWID_FRANCE = (
    "https://ourworldindata.org/energy/country/france",
    "France: energy country profile",
    "Our World in Data",
)
OWID_DATA = ("https://github.com/owid/energy-data", "Energy dataset", "Our World in Data")
BIS_RULE = (
    "https://www.federalregister.gov/documents/2022/10/13/2022-21658/"
    "implementation-of-additional-export-controls-certain-advanced-computing-and-semiconductor-manufacturing",
    "Implementation of additional export controls: certain advanced computing and "
    "semiconductor manufacturing items",
    "US Federal Register (Bureau of Industry and Security)",
)


@dataclass(frozen=True)
class DemoClaim:
    quote: str
    statement: str
    tags: tuple[str, ...]
    status: str
    verdict: str = ""
    summary: str = ""
    evidence: tuple[tuple[tuple[str, str, str], str, str], ...] = field(default_factory=tuple)


CLAIMS = (
    DemoClaim(
        quote=(
            "Alors que l’Occident renforce les restrictions sur les semi-conducteurs, d’autres "
            "stratégies émergent—construire de l’influence via des partenariats autour de "
            "centres de données et des corridors d’exportation technologique."
        ),
        statement=(
            "Western countries are tightening restrictions on semiconductors, while others build "
            "influence through data-centre partnerships and technology export corridors."
        ),
        tags=(GEOPOLITICS, "semiconductors", "data centres"),
        status=Claim.Status.PUBLISHED,
        verdict="mostly_accurate",
        summary=(
            "The restrictions are documented: the United States has tightened export controls on "
            "advanced chips and chip-making equipment since October 2022. The counter-strategy "
            "is the author's reading, not a documented programme."
        ),
        evidence=((BIS_RULE, Evidence.Stance.SUPPORTS, "en"),),
    ),
    DemoClaim(
        quote=(
            "Huang pousse fortement pour l’intégration du nucléaire, alors que les centres de "
            "données dévorent l’électricité à des taux sans précédent."
        ),
        statement="Data centres are consuming electricity at unprecedented rates.",
        tags=(ENERGY, "nuclear", "data centres"),
        status=Claim.Status.PUBLISHED,
        verdict="mostly_accurate",
        summary=(
            "The IEA estimates that data centres used about 415 TWh in 2024, around 1.5 % of "
            "the world's electricity, after growing about 12 % a year since 2017, and projects "
            "945 TWh in 2030 in its base case. The growth is fast; 'unprecedented' is rhetoric."
        ),
        evidence=(
            (IEA, Evidence.Stance.SUPPORTS, "en"),
            (IEA_DEMAND, Evidence.Stance.CONTEXT, "en"),
        ),
    ),
    DemoClaim(
        quote="Les réseaux actuels ne pourront pas suivre ce qui s’annonce.",
        statement="Today's electricity grids will not be able to keep up with coming demand.",
        tags=(ENERGY, "grids"),
        status=Claim.Status.ACCEPTED,
    ),
    DemoClaim(
        quote=(
            "Certains sites consomment déjà autant d’énergie que de petites villes, et nous n’en "
            "sommes qu’aux balbutiements du déploiement de l’IA."
        ),
        statement="Some data-centre sites already consume as much energy as small towns.",
        tags=(ENERGY, "data centres"),
        status=Claim.Status.IN_REVIEW,
        evidence=((IEA_DEMAND, Evidence.Stance.CONTEXT, "en"),),
    ),
    DemoClaim(
        quote=(
            "Chaque nœud blockchain, chaque session d’entraînement de modèle IA, chaque ferme de "
            "rendu cloud—tous se disputent les mêmes ressources énergétiques qui se raréfient."
        ),
        statement=(
            "Blockchain nodes, AI training runs and cloud render farms all compete for the same "
            "increasingly scarce energy resources."
        ),
        tags=(COMPUTE, ENERGY),
        status=Claim.Status.ACCEPTED,
    ),
    DemoClaim(
        quote="Les énergies renouvelables traditionnelles ne suffiront pas à cette échelle.",
        statement="Renewable energy alone will not be enough at this scale.",
        tags=(ENERGY, "renewables"),
        status=Claim.Status.PUBLISHED,
        verdict="unsupported",
        summary=(
            "No evidence is given. Renewables produced about 32 % of the world's electricity in "
            "2024 (Our World in Data, from Ember) and are the fastest-growing source; whether "
            "they can cover data-centre growth is a forecast, not a finding."
        ),
        evidence=((OWID_DATA, Evidence.Stance.CONTEXT, "en"),),
    ),
    DemoClaim(
        quote=(
            "Le nucléaire est peut-être la seule voie qui permette d’éviter de faire fondre le "
            "réseau électrique ou de ruiner les opérateurs à cause du coût de l’énergie."
        ),
        statement="Nuclear power may be the only way to avoid overloading the grid.",
        tags=(ENERGY, "nuclear"),
        status=Claim.Status.PUBLISHED,
        verdict="misleading",
        summary=(
            "Nuclear is one low-carbon option among several. France, the example usually given, "
            "generated about 65 % of its electricity from nuclear power in 2023, yet the world "
            "share was about 9 % (Our World in Data); the IEA's scenarios meet data-centre "
            "growth with a mix of sources, not nuclear alone."
        ),
        evidence=(
            (OWID_FRANCE, Evidence.Stance.CONTEXT, "en"),
            (IEA, Evidence.Stance.REFUTES, "en"),
        ),
    ),
    DemoClaim(
        quote=(
            "Celui qui contrôle l’approvisionnement en énergie contrôle le développement de l’IA."
        ),
        statement="Whoever controls the energy supply controls the development of AI.",
        tags=(GEOPOLITICS, ENERGY),
        status=Claim.Status.ACCEPTED,
    ),
    DemoClaim(
        quote=(
            "Les dernières déclarations de Jensen Huang mettent en lumière des inquiétudes face à "
            "l’expansion des ambitions computationnelles de l’Est—ce qu’il décrit comme une "
            "initiative axée sur l’IA qui fait écho aux anciens projets de connectivité."
        ),
        statement=(
            "Jensen Huang has voiced concern about the East's expanding computing ambitions, "
            "comparing them to earlier connectivity projects."
        ),
        tags=(GEOPOLITICS, "China"),
        status=Claim.Status.IN_REVIEW,
    ),
)

DEMO_REPLY_TO = "BlockchainBard"
DEMO_REPLY = (
    "For scale: the IEA puts data centres at about 415 TWh in 2024, roughly 1.5 % of world "
    "electricity. Fast growth, but not yet the *whole* grid. "
    "[IEA, Energy and AI](https://www.iea.org/reports/energy-and-ai)"
)


class Command(BaseCommand):
    help = (
        "Set up a demo: migrate, create admin/editor/reader accounts (passwords printed once), "
        "import the seed post with its comments, its claims, evidence and energy series. "
        "Safe to run again: what exists is left as it is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self._site()
        accounts = self._accounts()
        with transaction.atomic():
            article = self._seed_article(accounts["editor"])
            claims = self._claims(article, accounts["editor"])
            self._reader_reply(article, accounts["reader"])
            english = graph_seed_demo(seed_claims=claims, editor=accounts["editor"])
        self._energy(claims)
        indexed = graph_index_demo(claims=[*claims, *Claim.objects.filter(article=english)])
        self._report(accounts, article, english, indexed)

    def _site(self) -> None:
        Site.objects.update_or_create(
            pk=settings.SITE_ID,
            defaults={"domain": urlsplit(settings.SITE_URL).netloc, "name": "Assay"},
        )

    def _accounts(self) -> dict[str, AbstractUser]:
        User = get_user_model()
        specs = {
            "admin": {"is_staff": True, "is_superuser": True, "groups": ()},
            "editor": {"is_staff": True, "is_superuser": False, "groups": ("Editor", "Moderator")},
            "reader": {"is_staff": False, "is_superuser": False, "groups": ()},
        }
        users: dict[str, AbstractUser] = {}
        self.passwords: dict[str, str] = {}
        for username, spec in specs.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@assay.localhost",
                    password=password,
                    is_staff=spec["is_staff"],
                    is_superuser=spec["is_superuser"],
                )
                self.passwords[username] = password
            for name in spec["groups"]:
                group, _ = Group.objects.get_or_create(name=name)
                user.groups.add(group)
            users[username] = user
        return users

    def _seed_article(self, editor: AbstractUser) -> Article:
        result = article_import_post(
            raw=SEED.read_bytes(),
            language="fr",
            source_name="Gate",
            title=SEED_TITLE,
            status=Article.Status.PUBLISHED,
            created_by=editor,
        )
        article = result.article
        if result.created:
            Article.objects.filter(pk=article.pk).update(slug=SEED_SLUG)
            article.refresh_from_db()
            article.tags.add(ENERGY, GEOPOLITICS, COMPUTE, "nuclear", "data centres")
        return article

    def _claims(self, article: Article, editor: AbstractUser) -> list[Claim]:
        claims = []
        as_of = dt.date(2025, 12, 10)
        for spec in CLAIMS:
            start = article.body.find(spec.quote)
            if start < 0:
                raise RuntimeError(f"demo quote not found in the seed article: {spec.quote[:40]}")
            claim = Claim.objects.filter(article=article, start=start).first()
            if claim is None:
                claim = Claim(
                    article=article,
                    quote=spec.quote,
                    start=start,
                    end=start + len(spec.quote),
                    statement=spec.statement,
                    status=spec.status,
                    verdict=spec.verdict,
                    verdict_summary=spec.summary,
                    verdict_as_of=as_of if spec.verdict else None,
                    reviewer=editor if spec.verdict else None,
                    created_by=editor,
                    published_at=article.created_at if spec.status == "published" else None,
                )
                claim.full_clean()
                claim._change_reason = "Demo: claim marked and reviewed"  # type: ignore[attr-defined]
                claim.save()
                claim.tags.add(*spec.tags)
                for (url, title, publisher), stance, language in spec.evidence:
                    Evidence.objects.create(
                        claim=claim,
                        url=url,
                        title=title,
                        publisher=publisher,
                        stance=stance,
                        language=language,
                        added_by=editor,
                    )
            claims.append(claim)
        return claims

    def _reader_reply(self, article: Article, reader: AbstractUser) -> None:
        parent = Comment.objects.filter(article=article, external_author=DEMO_REPLY_TO).first()
        if parent is None or Comment.objects.filter(parent=parent, author=reader).exists():
            return
        comment_create(article=article, author=reader, body=DEMO_REPLY, parent=parent)

    def _energy(self, claims: list[Claim]) -> None:
        """The series catalogue with its shipped snapshot, and suggested links to the claims."""
        from devtools.catalogue import catalogue_seed_demo

        catalogue_seed_demo(claim_ids=[claim.pk for claim in claims])

    def _report(
        self, accounts: dict[str, AbstractUser], article: Article, english: Article, indexed: bool
    ) -> None:
        site = settings.SITE_URL
        out = self.stdout
        out.write(self.style.SUCCESS("Assay demo is ready."))
        for username in accounts:
            if username in self.passwords:
                out.write(f"  {username:<7} password: {self.passwords[username]}")
            else:
                out.write(f"  {username:<7} exists already (password unchanged)")
        out.write(
            f"Serve the site (scripts/serve, or python manage.py runserver), then open "
            f"{site}/ — the seed article is at {site}{article.get_absolute_url()} and the "
            f"admin at {site}/admin/"
        )
        out.write(
            f"The same claims in English: {site}{english.get_absolute_url()}; "
            f"“Has this been checked?” at {site}/check/"
        )
        if not indexed:
            out.write(
                self.style.WARNING(
                    "The sentence encoder could not run: similar claims show once "
                    "`python manage.py reindex_claims` has run."
                )
            )
