"""The guarded HTTP client: fetches from a real local server, and refuses internal addresses."""

from __future__ import annotations

import re
import socket

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from core.outbound import OutboundRefused, address_refusal, fetch, guarded_client


def test_fetch_returns_body_status_and_sends_user_agent(httpserver: HTTPServer, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HTTP_USER_AGENT = "AssayTest/1.0"
    httpserver.expect_request("/page", headers={"User-Agent": "AssayTest/1.0"}).respond_with_data(
        "<p>bonjour</p>", content_type="text/html; charset=utf-8"
    )

    result = fetch(httpserver.url_for("/page"), max_bytes=10_000, timeout=5)

    assert result.status == 200
    assert result.text == "<p>bonjour</p>"
    assert result.content_type == "text/html"
    assert result.truncated is False
    assert result.final_url == httpserver.url_for("/page")


def test_fetch_follows_redirects_and_reports_final_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_response(
        Response(status=302, headers={"Location": "/new"})
    )
    httpserver.expect_request("/new").respond_with_data("moved here")

    result = fetch(httpserver.url_for("/old"), max_bytes=1000, timeout=5)

    assert result.final_url.endswith("/new")
    assert result.content == b"moved here"


def test_fetch_stops_at_the_size_cap(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 50_000)

    result = fetch(httpserver.url_for("/big"), max_bytes=1024, timeout=5)

    assert len(result.content) == 1024
    assert result.truncated is True


def test_http_errors_are_returned_not_raised(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)

    assert fetch(httpserver.url_for("/gone"), max_bytes=1000, timeout=5).status == 404


@pytest.fixture
def no_loopback(settings):  # type: ignore[no-untyped-def]
    settings.OUTBOUND_ALLOW_LOOPBACK = False


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost:9/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/",
        "http://[::ffff:127.0.0.1]:9/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://0.0.0.0:9/",
        "http://240.0.0.1/",
    ],
)
def test_internal_addresses_are_refused(no_loopback, url: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OutboundRefused):
        fetch(url, max_bytes=1000, timeout=2)


def test_local_server_is_refused_when_loopback_is_not_allowed(
    no_loopback,
    httpserver: HTTPServer,  # type: ignore[no-untyped-def]
) -> None:
    httpserver.expect_request("/").respond_with_data("secret")

    with pytest.raises(OutboundRefused, match="not resolve to a public address"):
        fetch(httpserver.url_for("/"), max_bytes=1000, timeout=2)
    assert httpserver.log == []  # refused before connecting


def test_loopback_setting_allows_loopback_only(settings) -> None:  # type: ignore[no-untyped-def]
    import ipaddress

    assert address_refusal(ipaddress.ip_address("127.0.0.1"), allow_loopback=True) is None
    assert address_refusal(ipaddress.ip_address("::1"), allow_loopback=True) is None
    for private in ("10.0.0.1", "169.254.169.254", "192.168.0.1", "fd00::1"):
        assert address_refusal(ipaddress.ip_address(private), allow_loopback=True) is not None
    assert address_refusal(ipaddress.ip_address("93.184.216.34"), allow_loopback=False) is None


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/admin"]
)
def test_a_redirect_to_an_internal_address_is_refused(httpserver: HTTPServer, target: str) -> None:
    # The first hop (a loopback test server, allowed by the test settings) is fine; the hop it
    # redirects to is checked again at connect time and refused.
    httpserver.expect_request("/hop").respond_with_response(
        Response(status=301, headers={"Location": target})
    )

    with pytest.raises(OutboundRefused):
        fetch(httpserver.url_for("/hop"), max_bytes=1000, timeout=2)


def test_a_redirect_to_loopback_is_refused_when_loopback_is_off(
    no_loopback,
    httpserver: HTTPServer,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    # Even a name that looks public is checked on what it resolves to, at connect time.
    real_getaddrinfo = socket.getaddrinfo

    def resolver(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "rebound.example":
            return real_getaddrinfo("127.0.0.1", *args, **kwargs)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(OutboundRefused, match=re.escape("rebound.example does not resolve")):
        fetch(f"http://rebound.example:{httpserver.port}/", max_bytes=1000, timeout=2)
    assert httpserver.log == []


def test_a_name_resolving_to_public_and_private_addresses_is_refused(
    no_loopback,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    def resolver(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(OutboundRefused, match=re.escape("mixed.example does not resolve")):
        fetch("http://mixed.example/", max_bytes=1000, timeout=2)


@pytest.mark.parametrize("url", ["ftp://example.org/file", "file:///etc/passwd", "gopher://x/"])
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(OutboundRefused, match="http and https"):
        fetch(url, max_bytes=1000, timeout=2)


def test_a_redirect_to_another_scheme_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ftp").respond_with_response(
        Response(status=302, headers={"Location": "ftp://127.0.0.1/file"})
    )

    with pytest.raises(OutboundRefused, match="http and https"):
        fetch(httpserver.url_for("/ftp"), max_bytes=1000, timeout=2)


def test_guarded_client_posts_and_does_not_follow_redirects(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST", data=b'{"a": 1}').respond_with_response(
        Response(status=307, headers={"Location": "http://10.0.0.1/"})
    )

    with guarded_client(timeout=2) as client:
        response = client.post(httpserver.url_for("/hook"), content=b'{"a": 1}')

    assert response.status_code == 307
    assert len(httpserver.log) == 1


def test_guarded_client_refuses_internal_targets(no_loopback) -> None:  # type: ignore[no-untyped-def]
    with guarded_client(timeout=2) as client, pytest.raises(OutboundRefused):
        client.post("http://169.254.169.254/", content=b"x")


@pytest.mark.parametrize(
    "url", ["http://[fec0::1]/", "http://[feff:ffff::1]:8080/", "http://192.88.99.1/"]
)
def test_site_local_and_6to4_relay_addresses_are_refused(no_loopback, url: str) -> None:  # type: ignore[no-untyped-def]
    """Finding of an outside audit: the guard let fec0::/10 (IPv6 site-local) and
    192.88.99.0/24 (the 6to4 relay anycast) through."""
    with pytest.raises(OutboundRefused):
        fetch(url, max_bytes=1000, timeout=2)


def test_a_refusal_does_not_echo_the_internal_address(no_loopback, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """Finding of an outside audit: refusal messages echoed the resolved internal address,
    which a user who types URLs (webhook targets, evidence links) could use to map internal
    DNS. The address goes to the log only."""
    from integrations.outbound import OutboundURLError, check_outbound_url

    real = socket.getaddrinfo

    def internal(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "intranet.example.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.20.30.40", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", internal)
    with pytest.raises(OutboundRefused) as refused:
        fetch("http://intranet.example.org/", max_bytes=1000, timeout=2)
    with pytest.raises(OutboundURLError) as invalid:
        check_outbound_url("http://intranet.example.org/hook")
    for message in (str(refused.value), str(invalid.value)):
        assert "10.20.30.40" not in message and "private" not in message
        assert "intranet.example.org" in message
    assert any(getattr(r, "address", None) == "10.20.30.40" for r in caplog.records)
