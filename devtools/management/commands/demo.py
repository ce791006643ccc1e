from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from taggit.models import Tag

from articles.models import Article
from claims.models import Claim, Evidence
from claims.services import Assertion, claim_series_add
from core.i18n import translations
from core.services import tag_label_set
from devtools.graph_demo import graph_index_demo, graph_seed_demo
from discussions.models import Comment
from discussions.services import comment_create
from editorial.services.articles import article_import_post
from energy.models import Series

SEED = Path(__file__).resolve().parents[2] / "data" / "demo" / "gate-post-fr.txt"
SEED_TITLE = "L’IA, les centres de données et la course à l’énergie nucléaire"
SEED_SLUG = "ia-centres-de-donnees-course-energie-nucleaire"

ENERGY, GEOPOLITICS, COMPUTE = "energy", "geopolitics", "decentralised compute"
# (url, title in English, title in French, publisher)
IEA = (
    "https://www.iea.org/reports/energy-and-ai",
    "Energy and AI (2025)",
    "Énergie et IA (2025)",
    "IEA",
)
IEA_DEMAND = (
    "https://www.iea.org/reports/energy-and-ai/energy-demand-from-ai",
    "Energy and AI: energy demand from AI",
    "Énergie et IA : la demande d’énergie de l’IA",
    "IEA",
)
OWID_FRANCE = (
    "https://ourworldindata.org/energy/country/france",
    "France: energy country profile",
    "France : profil énergétique du pays",
    "Our World in Data",
)
OWID_DATA = (
    "https://github.com/owid/energy-data",
    "Energy dataset",
    "Jeu de données sur l’énergie",
    "Our World in Data",
)
BIS_RULE = (
    "https://www.federalregister.gov/documents/2022/10/13/2022-21658/"
    "implementation-of-additional-export-controls-certain-advanced-computing-and-semiconductor-manufacturing",
    "Implementation of additional export controls: certain advanced computing and "
    "semiconductor manufacturing items",
    "Mise en œuvre de contrôles supplémentaires à l’exportation : certains articles de calcul "
    "avancé et de fabrication de semi-conducteurs",
    "US Federal Register (Bureau of Industry and Security)",
)


@dataclass(frozen=True)
class DemoClaim:
    quote: str
    statement: str
    statement_fr: str
    tags: tuple[str, ...]
    status: str
    verdict: str = ""
    summary: str = ""
    summary_fr: str = ""
    evidence: tuple[tuple[tuple[str, str, str, str], str, str], ...] = field(default_factory=tuple)


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
        statement_fr=(
            "Les pays occidentaux durcissent les restrictions sur les semi-conducteurs, tandis "
            "que d’autres gagnent de l’influence par des partenariats autour des centres de "
            "données et des corridors d’exportation technologique."
        ),
        tags=(GEOPOLITICS, "semiconductors", "data centres"),
        status=Claim.Status.PUBLISHED,
        verdict="mostly_accurate",
        summary=(
            "The restrictions are documented: the United States has tightened export controls on "
            "advanced chips and chip-making equipment since October 2022. The counter-strategy "
            "is the author's reading, not a documented programme."
        ),
        summary_fr=(
            "Les restrictions sont documentées : les États-Unis durcissent depuis octobre 2022 "
            "les contrôles à l’exportation des puces avancées et des équipements servant à les "
            "fabriquer. La contre-stratégie relève de la lecture de l’auteur, pas d’un programme "
            "documenté."
        ),
        evidence=((BIS_RULE, Evidence.Stance.SUPPORTS, "en"),),
    ),
    DemoClaim(
        quote=(
            "Huang pousse fortement pour l’intégration du nucléaire, alors que les centres de "
            "données dévorent l’électricité à des taux sans précédent."
        ),
        statement="Data centres are consuming electricity at unprecedented rates.",
        statement_fr=(
            "Les centres de données consomment de l’électricité à un rythme sans précédent."
        ),
        tags=(ENERGY, "nuclear", "data centres"),
        status=Claim.Status.PUBLISHED,
        verdict="mostly_accurate",
        summary=(
            "The IEA estimates that data centres used about 415 TWh in 2024, around 1.5 % of "
            "the world's electricity, after growing about 12 % a year since 2017, and projects "
            "945 TWh in 2030 in its base case. The growth is fast; 'unprecedented' is rhetoric."
        ),
        summary_fr=(
            "L’AIE estime que les centres de données ont consommé environ 415 TWh en 2024, près "
            "de 1,5 % de l’électricité mondiale, après une hausse d’environ 12 % par an depuis "
            "2017, et prévoit 945 TWh en 2030 dans son scénario de base. La croissance est rapide"
            " ; « sans précédent » relève de la rhétorique."
        ),
        evidence=(
            (IEA, Evidence.Stance.SUPPORTS, "en"),
            (IEA_DEMAND, Evidence.Stance.CONTEXT, "en"),
        ),
    ),
    DemoClaim(
        quote="Les réseaux actuels ne pourront pas suivre ce qui s’annonce.",
        statement="Today's electricity grids will not be able to keep up with coming demand.",
        statement_fr="Les réseaux électriques actuels ne pourront pas suivre la demande à venir.",
        tags=(ENERGY, "grids"),
        status=Claim.Status.ACCEPTED,
    ),
    DemoClaim(
        quote=(
            "Certains sites consomment déjà autant d’énergie que de petites villes, et nous n’en "
            "sommes qu’aux balbutiements du déploiement de l’IA."
        ),
        statement="Some data-centre sites already consume as much energy as small towns.",
        statement_fr=(
            "Certains sites de centres de données consomment déjà autant d’énergie que de petites"
            " villes."
        ),
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
        statement_fr=(
            "Les nœuds blockchain, les entraînements de modèles d’IA et les fermes de rendu cloud"
            " se disputent les mêmes ressources énergétiques, de plus en plus rares."
        ),
        tags=(COMPUTE, ENERGY),
        status=Claim.Status.ACCEPTED,
    ),
    DemoClaim(
        quote="Les énergies renouvelables traditionnelles ne suffiront pas à cette échelle.",
        statement="Renewable energy alone will not be enough at this scale.",
        statement_fr="Les énergies renouvelables seules ne suffiront pas à cette échelle.",
        tags=(ENERGY, "renewables"),
        status=Claim.Status.PUBLISHED,
        verdict="unsupported",
        summary=(
            "No evidence is given. Renewables produced about 32 % of the world's electricity in "
            "2024 (Our World in Data, from Ember) and are the fastest-growing source; whether "
            "they can cover data-centre growth is a forecast, not a finding."
        ),
        summary_fr=(
            "Aucune preuve n’est avancée. Les renouvelables ont produit environ 32 % de "
            "l’électricité mondiale en 2024 (Our World in Data, d’après Ember) et sont la source "
            "qui croît le plus vite ; savoir si elles peuvent couvrir la croissance des centres "
            "de données est une prévision, pas un constat."
        ),
        evidence=((OWID_DATA, Evidence.Stance.CONTEXT, "en"),),
    ),
    DemoClaim(
        quote=(
            "Le nucléaire est peut-être la seule voie qui permette d’éviter de faire fondre le "
            "réseau électrique ou de ruiner les opérateurs à cause du coût de l’énergie."
        ),
        statement="Nuclear power may be the only way to avoid overloading the grid.",
        statement_fr=(
            "Le nucléaire serait peut-être le seul moyen d’éviter de surcharger le réseau."
        ),
        tags=(ENERGY, "nuclear"),
        status=Claim.Status.PUBLISHED,
        verdict="misleading",
        summary=(
            "Nuclear is one low-carbon option among several. France, the example usually given, "
            "generated about 65 % of its electricity from nuclear power in 2023, yet the world "
            "share was about 9 % (Our World in Data); the IEA's scenarios meet data-centre "
            "growth with a mix of sources, not nuclear alone."
        ),
        summary_fr=(
            "Le nucléaire est une option bas carbone parmi d’autres. La France, l’exemple souvent"
            " cité, a produit environ 65 % de son électricité à partir du nucléaire en 2023, mais"
            " la part mondiale était d’environ 9 % (Our World in Data) ; les scénarios de l’AIE "
            "répondent à la croissance des centres de données par un mélange de sources, pas par "
            "le seul nucléaire."
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
        statement_fr=(
            "Qui contrôle l’approvisionnement en énergie contrôle le développement de l’IA."
        ),
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
        statement_fr=(
            "Jensen Huang s’inquiète des ambitions croissantes de l’Est en matière de calcul, "
            "qu’il compare à d’anciens projets de connectivité."
        ),
        tags=(GEOPOLITICS, "China"),
        status=Claim.Status.IN_REVIEW,
    ),
)

# How the seed's tags read to readers: (English, French).
TAG_LABELS = {
    ENERGY: ("energy", "énergie"),
    GEOPOLITICS: ("geopolitics", "géopolitique"),
    COMPUTE: ("decentralised compute", "calcul décentralisé"),
    "nuclear": ("nuclear", "nucléaire"),
    "data centres": ("data centres", "centres de données"),
    "semiconductors": ("semiconductors", "semi-conducteurs"),
    "grids": ("grids", "réseaux électriques"),
    "renewables": ("renewables", "renouvelables"),
    "China": ("China", "Chine"),
    "electricity": ("electricity", "électricité"),
    "AI": ("AI", "IA"),
    "demand": ("demand", "demande"),
    "generation": ("generation", "production"),
}

# (statement of a published claim, catalogue key of the series, data check or None)
CONFIRMED_SERIES = (
    (
        "Data centres are consuming electricity at unprecedented rates.",
        "iea-datacentre-electricity-world",
        None,
    ),
    (
        "Renewable energy alone will not be enough at this scale.",
        "owid-renewables-share-world",
        None,
    ),
    (
        "Nuclear power may be the only way to avoid overloading the grid.",
        "owid-nuclear-share-france",
        Assertion(
            operator="gte",
            threshold=60.0,
            period_start=dt.date(2020, 1, 1),
            period_end=dt.date(2024, 12, 31),
        ),
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
        self._tag_labels()
        self._confirmed_series(claims, accounts["editor"])
        indexed = graph_index_demo(claims=[*claims, *Claim.objects.filter(article=english)])
        self._report(accounts, article, english, indexed)

    def _site(self) -> None:
        Site.objects.update_or_create(
            pk=settings.SITE_ID,
            defaults={"domain": urlsplit(settings.SITE_URL).netloc, "name": "Assay"},
        )

    def _accounts(self) -> dict[str, User]:
        # username -> (staff, superuser, groups)
        specs: dict[str, tuple[bool, bool, tuple[str, ...]]] = {
            "admin": (True, True, ()),
            "editor": (True, False, ("Editor", "Moderator")),
            "reader": (False, False, ()),
        }
        users: dict[str, User] = {}
        self.passwords: dict[str, str] = {}
        for username, (staff, superuser, groups) in specs.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@assay.localhost",
                    password=password,
                    is_staff=staff,
                    is_superuser=superuser,
                )
                self.passwords[username] = password
            for name in groups:
                group, _ = Group.objects.get_or_create(name=name)
                user.groups.add(group)
            users[username] = user
        return users

    def _seed_article(self, editor: User) -> Article:
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

    def _claims(self, article: Article, editor: User) -> list[Claim]:
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
                    statement_en=spec.statement,
                    statement_fr=spec.statement_fr,
                    status=spec.status,
                    verdict=spec.verdict,
                    verdict_summary_en=spec.summary,
                    verdict_summary_fr=spec.summary_fr,
                    verdict_as_of=as_of if spec.verdict else None,
                    reviewer=editor if spec.verdict else None,
                    created_by=editor,
                    published_at=article.created_at if spec.status == "published" else None,
                )
                claim.full_clean()
                claim._change_reason = "Demo: claim marked and reviewed"  # type: ignore[attr-defined]
                claim.save()
                claim.tags.add(*spec.tags)
                for (url, title, title_fr, publisher), stance, language in spec.evidence:
                    Evidence.objects.create(
                        claim=claim,
                        url=url,
                        title_en=title,
                        title_fr=title_fr,
                        publisher=publisher,
                        stance=stance,
                        language=language,
                        added_by=editor,
                    )
            else:
                self._fill_french(claim, spec)
            claims.append(claim)
        return claims

    def _fill_french(self, claim: Claim, spec: DemoClaim) -> None:
        """A demo loaded before the knowledge base had two languages gets its French; what an
        editor wrote since stays."""
        texts = {"statement_fr": spec.statement_fr, "verdict_summary_fr": spec.summary_fr}
        for column, text in texts.items():
            if text and not getattr(claim, column):
                Claim.objects.filter(pk=claim.pk).update(**{column: text})
                setattr(claim, column, text)
        titles = {url: title_fr for (url, _en, title_fr, _p), _s, _l in spec.evidence}
        for evidence in claim.evidence.all():
            if not translations(evidence, "title")["fr"] and evidence.url in titles:
                Evidence.objects.filter(pk=evidence.pk).update(title_fr=titles[evidence.url])

    def _tag_labels(self) -> None:
        for name, (english, french) in TAG_LABELS.items():
            tag = Tag.objects.filter(name=name).first()
            if tag is not None:
                tag_label_set(tag=tag, texts={"en": english, "fr": french})

    def _confirmed_series(self, claims: list[Claim], editor: User) -> None:
        """The series that back the published claims, confirmed by the editor, one with a data
        check: readers see charts an editor stands behind, not only suggestions."""
        by_statement = {translations(claim, "statement")["en"]: claim for claim in claims}
        for statement, key, assertion in CONFIRMED_SERIES:
            claim = by_statement.get(statement)
            series = Series.objects.filter(catalogue_key=key).first()
            if claim is None or series is None:
                continue
            claim_series_add(claim=claim, series=series, by=editor, assertion=assertion)

    def _reader_reply(self, article: Article, reader: User) -> None:
        parent = Comment.objects.filter(article=article, external_author=DEMO_REPLY_TO).first()
        if parent is None or Comment.objects.filter(parent=parent, author=reader).exists():
            return
        comment_create(article=article, author=reader, body=DEMO_REPLY, parent=parent)

    def _energy(self, claims: list[Claim]) -> None:
        """The series catalogue with its shipped snapshot, and suggested links to the claims."""
        from devtools.catalogue import catalogue_seed_demo

        catalogue_seed_demo(claim_ids=[claim.pk for claim in claims])

    def _report(
        self, accounts: dict[str, User], article: Article, english: Article, indexed: bool
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
