import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import etree

from partners.services import api_key_issue
from tests.factories import PartnerFactory

# The official schemas, copied unchanged into tests/standards.
STANDARDS = Path(__file__).resolve().parents[1] / "standards"


@pytest.fixture(scope="module")
def newsml_schema():
    """The NewsML-G2 2.35 schema, read once per module."""
    return etree.XMLSchema(
        etree.parse(str(STANDARDS / "newsml-g2" / "NewsML-G2_2.35-spec-All-Power.xsd"))
    )


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Baltic Wire", slug="baltic-wire", attribution_label="BW")


@pytest.fixture
def api_key(partner):
    """(PartnerAPIKey, key) for an active partner."""
    return api_key_issue(partner=partner, name="test")


@pytest.fixture
def api_client(client, api_key):
    """The test client, sending the key the way partners must."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_key[1]}"
    return client


class FeedServer:
    """A small HTTP server on 127.0.0.1, run by the test that needs it.

    ``routes`` maps a path to (status, headers, body), where body is bytes
    or a function writing to the handler (for streaming answers)."""

    def __init__(self):
        self.routes = {}
        self.hits = []
        self.bytes_sent = 0
        self.stop = threading.Event()
        self.hung_up = threading.Event()  # a client closed while we were writing
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                outer.hits.append(self.path)
                status, headers, body = outer.routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if isinstance(body, bytes):
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    try:
                        body(self, outer)
                    except (BrokenPipeError, ConnectionResetError):
                        outer.hung_up.set()  # the client gave up: that is the point
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.host = f"127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,))

    def url(self, path):
        return f"http://{self.host}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def feed_server(settings):
    """A feed server the importer is allowed to reach (by host and port)."""
    with FeedServer() as server:
        settings.PARTNER_FEED_ALLOWED_HOSTS = [server.host]
        yield server


def drip(handler, server, *, interval=0.05, limit=400):
    """Write one byte every ``interval`` seconds, at most ``limit`` bytes."""
    for _ in range(limit):
        if server.stop.is_set():
            return
        handler.wfile.write(b" ")
        handler.wfile.flush()
        server.bytes_sent += 1
        time.sleep(interval)


def flood(handler, server, *, total=50 * 1024 * 1024, chunk=64 * 1024):
    """Write ``total`` bytes (50 MB) as fast as the client takes them."""
    block = b"<" + b"x" * (chunk - 1)
    while server.bytes_sent < total and not server.stop.is_set():
        handler.wfile.write(block)
        server.bytes_sent += len(block)
