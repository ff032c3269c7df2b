"""Fetching a partner's feed without letting the feed reach inside our network.

A feed URL is the partner's to choose, so it may point (or redirect, or have
its DNS answer) at loopback, the private network or a cloud metadata
service. Every connection resolves the host name once, refuses the URL unless
every address is public, and then connects to that checked address, so a DNS
answer that changes between check and use (rebinding) gains nothing. The
download is bounded in time and size, and at most three redirects are
followed, each checked like the first URL.
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as urllib3_connection

MAX_REDIRECTS = 3
CHUNK_BYTES = 64 * 1024
USER_AGENT = "newsportal-feed-importer/1"


@dataclass(frozen=True)
class Fetched:
    """What a fetch brought: the body, the address it came from in the end
    (after redirects) and the charset its Content-Type header named."""

    url: str
    content: bytes
    charset: str = ""


class FetchError(Exception):
    """The feed could not be fetched; the message says why."""


class AddressRefused(FetchError):
    """The URL's scheme, host or address is not one we may connect to."""


def host_allowed(host: str, port: int) -> bool:
    """Whether settings.PARTNER_FEED_ALLOWED_HOSTS lets us connect to a host
    whatever its address (test servers, a partner on our own network)."""
    host = host.strip("[]").lower()
    allowed = {entry.lower() for entry in settings.PARTNER_FEED_ALLOWED_HOSTS}
    return host in allowed or f"{host}:{port}" in allowed


def address_check(address: str) -> None:
    """Refuse an IP address that is not a public unicast address, including
    IPv4 addresses wrapped in IPv6 (mapped, 6to4, Teredo)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        raise AddressRefused(f"{address!r} is not an IP address") from None
    candidates = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        candidates += [ip.ipv4_mapped, ip.sixtofour, ip.teredo and ip.teredo[1]]
    for candidate in filter(None, candidates):
        if not candidate.is_global or candidate.is_multicast or candidate.is_reserved:
            raise AddressRefused(f"address {address} is not public")


def host_resolve(host: str, port: int) -> tuple[int, str]:
    """Resolve ``host`` once and return (family, address) to connect to,
    refusing it unless every address it has is public (or the host is
    allowed by the settings)."""
    host = host.strip("[]")
    if not host_allowed(host, port):
        _numeric_form_check(host)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"cannot resolve {host}: {error}") from None
    if not infos:
        raise FetchError(f"cannot resolve {host}")
    if not host_allowed(host, port):
        for *_, sockaddr in infos:
            address_check(sockaddr[0])
    family, *_, sockaddr = infos[0]
    return family, sockaddr[0]


def _numeric_form_check(host: str) -> None:
    """Refuse IPv4 addresses written in the forms resolvers accept but people
    do not read ("2130706433", "0x7f000001", "0177.1"): no partner's feed
    lives there, and filters that compare strings miss them."""
    try:
        ipaddress.ip_address(host)
        return  # a normal dotted-quad or IPv6 address: checked once resolved
    except ValueError:
        pass
    try:
        socket.inet_aton(host)
    except OSError:
        return  # a host name
    raise AddressRefused(f"{host!r} is an IP address in an unusual form")


def url_check(url: str) -> None:
    """Refuse URLs that are not plain http(s) with a host."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as error:
        raise AddressRefused(f"invalid URL: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise AddressRefused(f"the {parts.scheme or 'empty'!r} scheme is not allowed")
    if not parts.hostname:
        raise AddressRefused("the URL has no host")


class _CheckedAddressMixin:
    """Connect to the address host_resolve checked, not to whatever a second
    lookup returns. TLS still verifies the certificate for the host name."""

    def _new_conn(self):
        _family, address = host_resolve(self._dns_host, self.port)
        try:
            return urllib3_connection.create_connection(
                (address, self.port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except TimeoutError as error:
            raise ConnectTimeoutError(self, f"connection to {self.host} timed out") from error
        except OSError as error:
            raise NewConnectionError(self, f"cannot connect: {error}") from error


class _CheckedHTTPConnection(_CheckedAddressMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedAddressMixin, HTTPSConnection):
    pass


class _CheckedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPConnectionPool,
            "https": _CheckedHTTPSConnectionPool,
        }


def _session() -> requests.Session:
    session = requests.Session()
    # No proxies from the environment: a proxy would connect for us,
    # to addresses we never checked.
    session.trust_env = False
    session.headers["User-Agent"] = USER_AGENT
    session.mount("http://", _CheckedAdapter(max_retries=0))
    session.mount("https://", _CheckedAdapter(max_retries=0))
    return session


def url_fetch(*, url: str, accept: str = "*/*") -> Fetched:
    """``url`` fetched under the rules above.

    Raises AddressRefused for a URL or address we may not reach and
    FetchError for every other failure (timeouts, HTTP errors, a body over
    PARTNER_FEED_MAX_BYTES, too many redirects).
    """
    max_bytes = settings.PARTNER_FEED_MAX_BYTES
    timeout = settings.PARTNER_FEED_TIMEOUT
    deadline = time.monotonic() + settings.PARTNER_FEED_TOTAL_TIMEOUT
    with _session() as session:
        for _hop in range(MAX_REDIRECTS + 1):
            url_check(url)
            try:
                response = session.get(
                    url,
                    headers={"Accept": accept},
                    timeout=(timeout, timeout),
                    stream=True,
                    allow_redirects=False,
                )
            except requests.RequestException as error:
                raise FetchError(f"cannot fetch {url}: {error}") from None
            with response:
                if response.is_redirect:
                    url = urljoin(url, response.headers["Location"])
                    continue
                if response.status_code != 200:
                    raise FetchError(f"{url} answered HTTP {response.status_code}")
                content = _body_read(response, max_bytes=max_bytes, deadline=deadline)
                charset = _charset(response.headers.get("Content-Type", ""))
                return Fetched(url=url, content=content, charset=charset)
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def url_post(*, url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` to ``url`` under the same address rules as url_fetch
    (a partner's webhook is the partner's to choose, like its feed), within
    PARTNER_FEED_TIMEOUT. Redirects are not followed. Returns the HTTP status;
    raises AddressRefused or FetchError as url_fetch does."""
    url_check(url)
    timeout = settings.PARTNER_FEED_TIMEOUT
    with _session() as session:
        try:
            response = session.post(
                url, data=body, headers=headers, timeout=(timeout, timeout), allow_redirects=False
            )
        except requests.RequestException as error:
            raise FetchError(f"cannot POST to {url}: {error}") from None
        with response:
            return response.status_code


def _charset(content_type: str) -> str:
    message = Message()
    message["Content-Type"] = content_type
    return message.get_content_charset() or ""


def _body_read(response: requests.Response, *, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"the feed is larger than {max_bytes} bytes")
    body = bytearray()
    try:
        # read1 returns what has arrived (decompressed, bounded), so a server
        # that drips bytes slowly is stopped at the deadline, not the end.
        while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
            body += chunk
            if len(body) > max_bytes:
                raise FetchError(f"the feed is larger than {max_bytes} bytes")
            if time.monotonic() > deadline:
                raise FetchError("the download took too long")
    except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as error:
        raise FetchError(f"cannot read the feed: {error}") from None
    return bytes(body)
