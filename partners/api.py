"""The partner API (/api/v1/): our news as ninjs 3.1 and NewsML-G2 items, and
a full-text RSS feed, for partner agencies holding an API key.

The key travels only in ``Authorization: Bearer <key>``. A request without a
usable key (missing, unknown, revoked, expired, or a deactivated partner)
gets one and the same 401 answer, so nothing can be learnt by probing; a key
in the query string is refused outright (URLs end up in logs). Each key has
its own request rate (PARTNER_API_RATE) and request count.
"""

import hashlib
import logging
import re
from datetime import UTC
from urllib.parse import parse_qsl

import orjson
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, renderers, serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import CursorPagination
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from articles.feeds import FEED_LENGTH, LatestArticlesFeed, article_feed_summary, publication_name
from articles.pagecache import fresh_seconds, kept
from editions.selectors import edition_get, edition_url, editions_all

from .models import PartnerAPIKey
from .selectors import api_key_find, article_syndication_list
from .services import api_key_use_record
from .syndication import article_ninjs, ninjs_newsml

NOT_AUTHENTICATED = "A valid API key is required in the Authorization header: Bearer <key>."
KEY_IN_URL = "API keys are accepted only in the Authorization header, never in the URL."
KEY_PARAMETERS = {"key", "apikey", "api_key", "api-key", "token", "access_token", "auth", "bearer"}
# What PartnerAPIKey keys look like (prefix.secret): found in any parameter.
KEY_SHAPE = re.compile(r"[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}")
NEWSML_MEDIA_TYPE = "application/vnd.iptc.g2.newsitem+xml"


def query_has_key(pairs) -> bool:
    """Whether (name, value) pairs of a query string carry an API key: by the
    parameter's name or by the value's shape."""
    return any(name.lower() in KEY_PARAMETERS or KEY_SHAPE.search(value) for name, value in pairs)


class KeyInURLFilter(logging.Filter):
    """Blanks the query string of access-log lines that carry an API key
    (runserver's "django.server", gunicorn's "gunicorn.access")."""

    _query = re.compile(r"\?([^\s\"]*)")

    def _redact(self, value):
        if not isinstance(value, str):
            return value
        value = KEY_SHAPE.sub("[redacted]", value)

        def blank(match):
            pairs = parse_qsl(match[1], keep_blank_values=True)
            return "?[redacted]" if query_has_key(pairs) else match[0]

        return self._query.sub(blank, value)

    def filter(self, record):
        record.msg = self._redact(record.msg)
        if isinstance(record.args, dict):
            for name, value in record.args.items():
                record.args[name] = self._redact(value)
        elif isinstance(record.args, tuple):
            record.args = tuple(self._redact(value) for value in record.args)
        return True


class PartnerKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        if query_has_key(
            (name, value) for name, values in request.query_params.lists() for value in values
        ):
            raise exceptions.ParseError(KEY_IN_URL)
        keyword, _, key = get_authorization_header(request).decode("latin-1").partition(" ")
        api_key = api_key_find(key=key.strip()) if keyword.lower() == "bearer" else None
        if api_key is None:
            raise exceptions.AuthenticationFailed(NOT_AUTHENTICATED)
        api_key_use_record(api_key=api_key)
        return AnonymousUser(), api_key

    def authenticate_header(self, request):
        return 'Bearer realm="partner-api"'


class HasPartnerKey(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, PartnerAPIKey)


class PartnerKeyThrottle(SimpleRateThrottle):
    """PARTNER_API_RATE requests per key and fixed window (a minute for
    "/minute"), counted in the default cache (so shared by every app server
    when that is Redis) with one increment per request. Fails open: with the
    cache down nothing is counted and requests go through (the key is still
    checked, in the database)."""

    scope = "partner_key"

    def get_rate(self):
        return settings.PARTNER_API_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}

    def allow_request(self, request, view):
        self.now = self.timer()
        self.window_end = self.now - self.now % self.duration + self.duration
        key = f"{self.get_cache_key(request, view)}:{int(self.window_end)}"
        try:
            count = self.cache.incr(key)
        except ValueError:  # the window's first request (or the cache is down)
            count = 1 if self.cache.add(key, 1, int(self.duration) + 1) else 0
        return count <= self.num_requests

    def wait(self):
        return self.window_end - self.now


class ItemCursorPagination(CursorPagination):
    """Newest first; the cursor is a position in time, so items published
    while a partner walks the pages neither repeat nor shift the walk."""

    ordering = ("-published_at", "-pk")
    page_size = 50

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
            if cursor is None or cursor.position is None:
                return cursor
            # The position goes into a query: it must be a date-time the
            # database takes, never a string passed through.
            position = MomentField().run_validation(cursor.position)
        except (exceptions.NotFound, serializers.ValidationError):
            raise exceptions.ValidationError({"cursor": ["Invalid cursor."]}) from None
        return cursor._replace(position=position.isoformat())


class MomentField(serializers.DateTimeField):
    """A date-time in UTC, as databases take it; one at the ends of the
    calendar that UTC (or the site's time zone) cannot hold is a validation
    error, not a crash."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value).astimezone(UTC)
        except OverflowError:
            raise serializers.ValidationError("Date-time out of range.") from None


class LanguageField(serializers.CharField):
    """An active edition's language code ("ru", also "RU"): anything else
    is a 400 that lists the codes there are (and never repeats what was
    sent)."""

    default_error_messages = {
        "invalid": "Not a language code: use one of {codes}.",
        "unknown": "No edition in this language: use one of {codes}.",
    }
    shape = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*")

    def to_internal_value(self, data):
        code = super().to_internal_value(data).lower()
        if edition_get(code) is None:
            codes = ", ".join(edition.code for edition in editions_all())
            self.fail("unknown" if self.shape.fullmatch(code) else "invalid", codes=codes)
        return code


class ItemFilterSerializer(serializers.Serializer):
    language = LanguageField(
        required=False,
        help_text='An edition\'s language code ("en", "ru", "be"): only its items. '
        "Without it, the items of every edition, each saying its language.",
    )
    since = MomentField(
        required=False, help_text="Only items created, changed or published since (ISO 8601)."
    )
    section = serializers.SlugField(
        required=False, max_length=100, help_text="A section's slug; includes its children."
    )
    tag = serializers.SlugField(required=False, max_length=100, help_text="A tag's slug.")
    partner = serializers.SlugField(
        required=False, max_length=100, help_text="A partner agency's slug (its news only)."
    )


class NinjsItemSerializer(serializers.BaseSerializer):
    def to_representation(self, article):
        return article_ninjs(article, request=self.context["request"], now=self.context["now"])


class NinjsItemSchema(OpenApiSerializerExtension):
    target_class = NinjsItemSerializer

    def get_name(self, auto_schema, direction):
        return "NinjsItem"

    def map_serializer(self, auto_schema, direction):
        text = {"type": "string"}
        when = {"type": "string", "format": "date-time"}
        blocks = {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"role": text, "contentType": text, "value": text},
            },
        }
        return {
            "type": "object",
            "description": "An IPTC ninjs 3.1 news item "
            "(https://www.iptc.org/std/ninjs/ninjs-schema_3.1.json).",
            "required": ["uri"],
            "properties": {
                "uri": {"type": "string", "format": "uri"},
                "type": text,
                "version": text,
                "firstCreated": when,
                "contentCreated": when,
                "versionCreated": when,
                "embargoedUntil": when,
                "pubStatus": {"type": "string", "enum": ["usable", "withheld", "canceled"]},
                "edNote": text,
                "urgency": {"type": "integer", "minimum": 1, "maximum": 9},
                "copyrightHolder": text,
                "usageTerms": text,
                "language": text,
                "headlines": blocks,
                "descriptions": blocks,
                "bodies": blocks,
                "by": text,
                "located": text,
                "subjects": {"type": "array", "items": {"type": "object"}},
                "genres": {"type": "array", "items": {"type": "object"}},
                "people": {"type": "array", "items": {"type": "object"}},
                "places": {"type": "array", "items": {"type": "object"}},
                "infoSources": {"type": "array", "items": {"type": "object"}},
                "associations": {"type": "array", "items": {"type": "object"}},
            },
        }


class PartnerKeySchema(OpenApiAuthenticationExtension):
    target_class = PartnerKeyAuthentication
    name = "partnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner API key, as issued by the agency.",
        }


class PartnerKeyMixin:
    """What every partner endpoint shares: the key, its rate, private answers,
    and errors in JSON whatever format was asked for."""

    authentication_classes = [PartnerKeyAuthentication]
    permission_classes = [HasPartnerKey]
    throttle_classes = [PartnerKeyThrottle]

    def handle_exception(self, exc):
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = renderers.JSONRenderer.media_type
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True)
        return response


class ItemViewMixin(PartnerKeyMixin):
    serializer_class = NinjsItemSerializer

    def get_queryset(self):
        return article_syndication_list()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


@extend_schema(parameters=[ItemFilterSerializer])
class ItemListView(ItemViewMixin, generics.ListAPIView):
    """Published items, newest first, 50 a page; follow `next` for more."""

    pagination_class = ItemCursorPagination

    def get_queryset(self):
        filters = ItemFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return article_syndication_list(**filters.validated_data)

    def list(self, request, *args, **kwargs):
        """The page as JSON bytes, built once and kept until one of its items
        changes (any change partners can see invalidates "api"), or at the
        next scheduled publication
        (pagecache.py); a poll with the page's ETag gets 304."""
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]

        def build():
            page = super(ItemListView, self).list(request, *args, **kwargs).data
            body = orjson.dumps(page)
            digest = hashlib.blake2b(body, digest_size=12).hexdigest()
            return f'"{digest}"', body

        etag, body = kept(f"api-list:{address}", ["api"], build, timeout=fresh_seconds)
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(body, content_type="application/json")
        response["ETag"] = etag
        return response


class ItemDetailView(ItemViewMixin, generics.RetrieveAPIView):
    """One item as ninjs; a withdrawn one as its kill notice."""

    def get_queryset(self):
        return article_syndication_list(withdrawn=True)


class NewsMLRenderer(renderers.BaseRenderer):
    media_type = NEWSML_MEDIA_TYPE
    format = "xml"
    charset = None  # the XML declaration says UTF-8

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return ninjs_newsml(data)


class AnyAcceptNegotiation(BaseContentNegotiation):
    """The URL says the format; clients' Accept headers (feed readers send
    all kinds) do not change it."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


@extend_schema(responses={(200, NEWSML_MEDIA_TYPE): OpenApiTypes.STR})
class ItemNewsMLView(ItemDetailView):
    """One item as a NewsML-G2 2.35 newsItem."""

    renderer_classes = [NewsMLRenderer]
    content_negotiation_class = AnyAcceptNegotiation


class PartnerRSSFeed(LatestArticlesFeed):
    """The full text of our latest news for partners: of every edition, or
    of the edition of ``language`` (then in its <language>). Embargoed
    items stay out: RSS has no way to mark them. No WebSub hub: a hub could
    not read a feed that needs a key."""

    websub = False

    def __init__(self, language: str = ""):
        super().__init__()
        self.edition = edition_get(language) if language else None
        self.language = language or None  # None: the request's (Feed.get_feed)

    def title(self):
        return f"{publication_name(self.edition)}: news for partners"

    def description(self):
        return (
            f"The latest news from {publication_name(self.edition)} in full, for partner agencies."
        )

    def items(self):
        articles = article_syndication_list(
            embargoed=False, language=self.edition.code if self.edition else ""
        )
        return articles[:FEED_LENGTH]

    def item_description(self, article):
        return f"<p>{article_feed_summary(article)}</p>{article.body}"

    def get_feed(self, obj, request):
        self.request = request  # one feed object per request (PartnerFeedView)
        return super().get_feed(obj, request)

    def item_link(self, article):
        """On its edition's own host when editions are served by host."""
        edition, path = edition_get(article.edition_id), article.get_absolute_url()
        return edition_url(edition, path, self.request) if edition else path


class FeedFilterSerializer(serializers.Serializer):
    language = LanguageField(
        required=False,
        help_text='An edition\'s language code ("en", "ru", "be"): only its items, in a feed '
        "of its language. Without it, the items of every edition.",
    )


@extend_schema(
    parameters=[FeedFilterSerializer],
    responses={(200, "application/rss+xml"): OpenApiTypes.STR},
)
class PartnerFeedView(PartnerKeyMixin, APIView):
    """Our latest news in full as RSS 2.0."""

    content_negotiation_class = AnyAcceptNegotiation

    def get(self, request):
        filters = FeedFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return PartnerRSSFeed(**filters.validated_data)(request._request)
