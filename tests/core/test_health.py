from __future__ import annotations

import pytest
from django.urls import reverse


def _redis_cache(url: str) -> dict[str, dict[str, object]]:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }


def test_healthz_answers_without_touching_the_database(client) -> None:
    # No django_db mark: any query here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ok_on_the_embedded_default(client, settings) -> None:
    settings.CELERY_BROKER_URL = ""
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
        "failed": [],
    }


@pytest.mark.django_db
def test_readyz_is_ok_with_real_redis_as_cache_and_broker(
    client, settings, scratch_redis_url
) -> None:
    settings.CACHES = _redis_cache(scratch_redis_url)
    settings.CELERY_BROKER_URL = scratch_redis_url
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["failed"] == []


@pytest.mark.django_db
def test_readyz_names_the_cache_when_redis_is_down(client, settings, closed_port) -> None:
    settings.CACHES = _redis_cache(f"redis://127.0.0.1:{closed_port}/5")
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache"]
    assert body["checks"] == {"database": "ok", "cache": "fail", "broker": "ok"}
    # the reason goes to the log, not to whoever probes the endpoint
    assert str(closed_port) not in response.content.decode()


@pytest.mark.django_db
def test_readyz_names_the_broker_when_it_is_down(client, settings, closed_port) -> None:
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/5"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]


def test_health_endpoints_refuse_writes(client) -> None:
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def test_probes_are_not_redirected_to_https_but_pages_are(client, settings) -> None:
    # Load balancers probe over plain HTTP inside the network.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    response = client.get("/admin/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_favicon_ico_points_at_the_static_icon(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/favicon")
