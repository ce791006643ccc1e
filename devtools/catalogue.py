"""The demo catalogue: the series that weigh the seed article's claims (AI data centres,
electricity, nuclear power), with keywords in French and English for matching, and a small
real snapshot shipped in the repository so charts show on a first, offline run."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from claims.services.series_matching import claims_attach_related_series
from energy.models import Series
from energy.services import series_load_snapshot
from energy.sources import PayloadError, csv_url, owid
from energy.sources.base import Payload

APP_DIR = Path(__file__).resolve().parent
OWID_SNAPSHOT = APP_DIR / "data" / "snapshot" / "owid-energy-slice.csv"
DATACENTRE_SNAPSHOT = (
    APP_DIR.parent / "energy" / "static" / "energy" / "data" / "datacentre-electricity.csv"
)
# The data-centre series name the setting that holds their URL; the CSV source reads it at
# each refresh, so a new DATACENTRE_CSV_URL applies to series the demo created long before.
DATACENTRE_DATASET = "iea-datacentre-electricity"
DATACENTRE_URL_SETTING = "DATACENTRE_CSV_URL"
# Where series created before that kept a copy of the default URL in their dataset (the file
# was served from the claims app's static folder before the energy app existed).
_DATACENTRE_DEFAULT_PATHS = (
    "/static/energy/data/datacentre-electricity.csv",
    "/static/claims/data/datacentre-electricity.csv",
)
SNAPSHOT_RETRIEVED_AT = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)

OWID_LICENSE = "CC BY 4.0"
OWID_ATTRIBUTION = (
    "Our World in Data – Energy dataset (Ritchie, Rosado, Mathieu, Roser), based on Ember "
    "Yearly Electricity Data (2025) and Energy Institute Statistical Review of World Energy (2025)"
)
OWID_PAGE = "https://github.com/owid/energy-data"
IEA_LICENSE = "© IEA, figures quoted with attribution"
IEA_ATTRIBUTION = "Source: IEA (2025), Energy and AI, Base Case (2030 and 2035 are projections)"
IEA_PAGE = "https://www.iea.org/reports/energy-and-ai"

# OWID entity name, slug, region label used for matching.
ENTITIES = (
    ("World", "world", "World"),
    ("France", "france", "France"),
    ("United States", "us", "United States"),
    ("China", "china", "China"),
)
# The region labels in the French titles.
REGIONS_FR = {
    "World": "monde",
    "France": "France",
    "United States": "États-Unis",
    "China": "Chine",
    "Europe": "Europe",
}


@dataclass(frozen=True)
class Metric:
    column: str
    slug: str
    title: str
    title_fr: str
    unit: str
    keywords: tuple[str, ...]
    tags: tuple[str, ...]


METRICS = (
    Metric(
        "electricity_demand",
        "electricity-demand",
        "Electricity demand",
        "Demande d’électricité",
        "TWh",
        (
            "demande d'électricité",
            "consommation d'électricité",
            "consomm",
            "dévor",
            "besoins en électricité",
            "réseau électrique",
            "réseaux",
            "electricity demand",
            "electricity consumption",
            "consum",
            "demand",
            "grid",
        ),
        ("energy", "electricity", "grids", "demand"),
    ),
    Metric(
        "electricity_generation",
        "electricity-generation",
        "Electricity generation",
        "Production d’électricité",
        "TWh",
        (
            "production d'électricité",
            "produi",
            "génération d'électricité",
            "térawatt",
            "electricity generation",
            "generat",
            "power output",
            "terawatt",
        ),
        ("energy", "electricity", "generation"),
    ),
    Metric(
        "nuclear_share_elec",
        "nuclear-share",
        "Nuclear share of electricity generation",
        "Part du nucléaire dans la production d’électricité",
        "%",
        ("nucléaire", "atome", "réacteur", "nuclear", "reactor", "atomic"),
        ("energy", "nuclear"),
    ),
    Metric(
        "nuclear_electricity",
        "nuclear-generation",
        "Nuclear electricity generation",
        "Production d’électricité nucléaire",
        "TWh",
        ("nucléaire", "atome", "réacteur", "nuclear", "reactor", "atomic"),
        ("energy", "nuclear"),
    ),
    Metric(
        "renewables_share_elec",
        "renewables-share",
        "Renewables share of electricity generation",
        "Part des renouvelables dans la production d’électricité",
        "%",
        (
            "renouvelable",
            "solaire",
            "éolien",
            "hydraulique",
            "renewable",
            "solar",
            "wind power",
            "hydro",
        ),
        ("energy", "renewables"),
    ),
)

# CSV region, slug, region label.
DATACENTRE_REGIONS = (
    ("World", "world", "World"),
    ("United States", "us", "United States"),
    ("China", "china", "China"),
    ("Europe", "europe", "Europe"),
)
DATACENTRE_KEYWORDS = (
    "centre de données",
    "centres de données",
    "data centre",
    "data center",
    "datacenter",
    "IA",
    "intelligence artificielle",
    "AI",
    "artificial intelligence",
    "entraînement",
    "training",
    "cloud",
    "ferme de rendu",
    "puissance de calcul",
    "compute",
)
DATACENTRE_TAGS = ("energy", "electricity", "data centres", "AI")


def _owid_specs() -> list[dict[str, Any]]:
    specs = []
    for metric in METRICS:
        for entity, slug, region in ENTITIES:
            specs.append(
                {
                    "catalogue_key": f"owid-{metric.slug}-{slug}",
                    "source": Series.Source.OWID,
                    "dataset": owid.FILE_NAME.removesuffix(".csv"),
                    "entity": entity,
                    "metric": metric.column,
                    "title_en": f"{metric.title}, {region}",
                    "title_fr": f"{metric.title_fr}, {REGIONS_FR[region]}",
                    "unit": metric.unit,
                    "region": region,
                    "keywords": "\n".join(metric.keywords),
                    "license": OWID_LICENSE,
                    "attribution": OWID_ATTRIBUTION,
                    "source_url": OWID_PAGE,
                    "tags": metric.tags,
                }
            )
    return specs


def _datacentre_specs() -> list[dict[str, Any]]:
    return [
        {
            "catalogue_key": f"iea-datacentre-electricity-{slug}",
            "source": Series.Source.CSV,
            "dataset": DATACENTRE_DATASET,
            "entity": region_name,
            "metric": "twh",
            "params": {
                "url_setting": DATACENTRE_URL_SETTING,
                "date_column": "year",
                "value_column": "twh",
                "where": {"region": region_name},
            },
            "title_en": f"Data-centre electricity consumption, {region}",
            "title_fr": f"Consommation d’électricité des centres de données, {REGIONS_FR[region]}",
            "unit": "TWh",
            "region": region,
            "keywords": "\n".join(DATACENTRE_KEYWORDS),
            "license": IEA_LICENSE,
            "attribution": IEA_ATTRIBUTION,
            "source_url": IEA_PAGE,
            "tags": DATACENTRE_TAGS,
        }
        for region_name, slug, region in DATACENTRE_REGIONS
    ]


def catalogue_specs() -> list[dict[str, Any]]:
    return _owid_specs() + _datacentre_specs()


def _ensure(spec: dict[str, Any]) -> Series:
    """Create the series if the catalogue lacks it; an existing one (perhaps edited in admin)
    is left as it is."""
    spec = dict(spec)
    tags = spec.pop("tags")
    series = Series.objects.filter(catalogue_key=spec["catalogue_key"]).first()
    if series is not None:
        _fill_missing_titles(series, spec)
        return _follow_url_setting(series, spec)
    series = Series.objects.filter(
        source=spec["source"], dataset=spec["dataset"], entity=spec["entity"], metric=spec["metric"]
    ).first()
    if series is not None:
        # Same source key added by hand earlier: adopt it rather than duplicate it.
        Series.objects.filter(pk=series.pk).update(catalogue_key=spec["catalogue_key"])
        return series
    series = Series.objects.create(**spec)
    series.tags.add(*tags)
    return series


def _fill_missing_titles(series: Series, spec: dict[str, Any]) -> None:
    """A series created before titles had two languages gets the ones it lacks; a title an
    editor wrote stays."""
    for column in ("title_en", "title_fr"):
        if not getattr(series, column):
            Series.objects.filter(pk=series.pk).update(**{column: spec[column]})
            setattr(series, column, spec[column])


def _follow_url_setting(series: Series, spec: dict[str, Any]) -> Series:
    """A built-in series created when its dataset held a copy of the default URL follows the
    setting from now on. One an editor pointed elsewhere (another URL) is left alone."""
    setting = spec.get("params", {}).get("url_setting")
    if (
        not setting
        or "url_setting" in series.params
        or not series.dataset.endswith(_DATACENTRE_DEFAULT_PATHS)
    ):
        return series
    params = {**series.params, "url_setting": setting}
    Series.objects.filter(pk=series.pk).update(dataset=spec["dataset"], params=params)
    series.dataset, series.params = spec["dataset"], params
    return series


def _snapshot_payload(path: Path) -> Payload:
    return Payload.from_bytes(f"snapshot:{path.name}", path.read_bytes(), content_type="text/csv")


def _load_snapshot(series_list: list[Series], path: Path, parser: Any, source_url: str) -> None:
    # Only series never refreshed live take the snapshot; the rest keep their newer data.
    series_list = [
        s for s in series_list if s.status in (Series.Status.NEW, Series.Status.SNAPSHOT)
    ]
    if not series_list:
        return
    payload = _snapshot_payload(path)
    try:
        results = parser.parse(payload, series_list)
    finally:
        payload.close()
    version = f"snapshot:{hashlib.sha256(path.read_bytes()).hexdigest()}"
    for series in series_list:
        points = results[series.pk]
        if isinstance(points, Exception):
            raise PayloadError(f"snapshot {path.name} cannot serve {series}: {points}")
        series_load_snapshot(
            series=series,
            points=points,
            version=version,
            retrieved_at=SNAPSHOT_RETRIEVED_AT,
            source_url=source_url,
        )


def catalogue_seed_demo(*, claim_ids: Sequence[int] = ()) -> None:
    """Create the demo catalogue, load its snapshot, and suggest series for the given claims.

    Idempotent: a second run finds every series by its catalogue key and the snapshot version
    already loaded, finds the suggestions already made, and writes nothing.
    """
    with transaction.atomic():
        owid_series = [_ensure(spec) for spec in _owid_specs()]
        datacentre_series = [_ensure(spec) for spec in _datacentre_specs()]
    _load_snapshot(owid_series, OWID_SNAPSHOT, owid, OWID_PAGE)
    _load_snapshot(datacentre_series, DATACENTRE_SNAPSHOT, csv_url, IEA_PAGE)
    if claim_ids:
        claims_attach_related_series(claim_ids=claim_ids)
