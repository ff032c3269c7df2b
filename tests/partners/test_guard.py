"""The feed fetcher's address guard, with name resolution stubbed: no test
here opens a connection to anything."""

import socket

import pytest

from partners import safehttp
from partners.safehttp import AddressRefused, FetchError, host_resolve, url_fetch

PUBLIC = "93.184.216.34"


@pytest.fixture
def resolve(monkeypatch):
    """Stub name resolution: ``resolve.answers`` is what every name resolves to."""

    class Resolver:
        answers = [PUBLIC]
        calls = []

        def __call__(self, host, port, *args, **kwargs):
            self.calls.append(host)
            family = lambda a: socket.AF_INET6 if ":" in a else socket.AF_INET  # noqa: E731
            return [(family(a), socket.SOCK_STREAM, 6, "", (a, port)) for a in self.answers]

    resolver = Resolver()
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return resolver


@pytest.fixture
def no_connections(monkeypatch):
    """Record connection attempts instead of making them."""
    attempts = []

    def connect(address, *args, **kwargs):
        attempts.append(address)
        raise ConnectionRefusedError("no connections in this test")

    monkeypatch.setattr(safehttp.urllib3_connection, "create_connection", connect)
    return attempts


BAD_ADDRESSES = [
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "127.0.0.1",
    "0.0.0.0",  # noqa: S104
    "100.64.0.1",  # carrier-grade NAT
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "fd00::1",
    "::1",
    "fe80::1",
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "2002:7f00:1::1",  # 6to4 around 127.0.0.1
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo around 10.0.0.1
]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_guard_refuses_non_public_addresses(resolve, no_connections, address):
    resolve.answers = [address]
    with pytest.raises(AddressRefused):
        host_resolve("feeds.example.com", 443)
    with pytest.raises(AddressRefused):
        url_fetch(url="https://feeds.example.com/rss")
    assert no_connections == []


@pytest.mark.parametrize(
    "url, answer",
    [
        ("http://[::1]/feed", "::1"),
        ("http://0x7f000001/feed", "127.0.0.1"),
        ("http://2130706433/feed", "127.0.0.1"),
        ("http://0177.0.0.1/feed", "127.0.0.1"),
        ("http://10.1/feed", "10.0.0.1"),
        ("http://[::ffff:7f00:1]/feed", "::ffff:127.0.0.1"),
        ("file:///etc/passwd", "127.0.0.1"),
        ("ftp://feeds.example.com/rss", PUBLIC),
        ("gopher://feeds.example.com/", PUBLIC),
        ("feeds.example.com/rss", PUBLIC),
        ("http:///rss", PUBLIC),
        ("http://feeds.example.com:99999/rss", PUBLIC),
    ],
)
def test_guard_refuses_urls(resolve, no_connections, url, answer):
    resolve.answers = [answer]
    with pytest.raises(AddressRefused):
        url_fetch(url=url)
    assert no_connections == []


@pytest.mark.parametrize(
    "host", ["2130706433", "0x7f000001", "0177.0.0.1", "10.1", "0x5d.0xb8.0xd8.0x22"]
)
def test_unusual_ip_forms_are_refused_whatever_they_resolve_to(resolve, no_connections, host):
    resolve.answers = [PUBLIC]
    with pytest.raises(AddressRefused, match="unusual form"):
        url_fetch(url=f"http://{host}/feed")
    assert no_connections == [] and resolve.calls == []


def test_one_private_answer_among_public_ones_is_refused(resolve, no_connections):
    resolve.answers = [PUBLIC, "10.0.0.1"]
    with pytest.raises(AddressRefused):
        url_fetch(url="http://feeds.example.com/rss")
    assert no_connections == []


def test_public_address_is_connected_to_as_checked(resolve, no_connections):
    resolve.answers = [PUBLIC]
    with pytest.raises(FetchError, match="cannot fetch"):
        url_fetch(url="http://feeds.example.com/rss")
    # Connected to the checked address itself: a second lookup, which DNS
    # rebinding would answer with 127.0.0.1, never happens.
    assert no_connections == [(PUBLIC, 80)]
    assert resolve.calls == ["feeds.example.com"]


def test_allowed_hosts_setting_is_by_host_and_port(resolve, settings):
    settings.PARTNER_FEED_ALLOWED_HOSTS = ["feeds.internal:8080", "mirror.internal"]
    resolve.answers = ["10.0.0.5"]
    assert host_resolve("feeds.internal", 8080) == (socket.AF_INET, "10.0.0.5")
    assert host_resolve("mirror.internal", 1234)[1] == "10.0.0.5"
    with pytest.raises(AddressRefused):
        host_resolve("feeds.internal", 8081)
    with pytest.raises(AddressRefused):
        host_resolve("other.internal", 8080)


def test_unresolvable_host_is_a_fetch_error(monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(FetchError, match="cannot resolve"):
        host_resolve("nowhere.example", 80)
