from django.utils import translation

from .selectors import edition_for_request


class EditionMiddleware:
    """Renders each request in its edition: ``request.edition``, and its
    language active while the view runs (interface strings, dates, the
    prefix of every address reversed). Unlike Django's LocaleMiddleware it
    never reads Accept-Language: an address is one page for everybody, as
    the page cache and proxies keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.edition = edition = edition_for_request(request)
        with translation.override(edition.code):
            request.LANGUAGE_CODE = edition.code
            return self.get_response(request)
