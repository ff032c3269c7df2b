from functools import cached_property

from .selectors import edition_current, edition_home, edition_url, editions_all


class EditionLinks:
    """The page's equivalents in the other editions: ``hreflang`` alternates
    (only for a page that has some: home, a section front with counterparts,
    a translated article; reciprocal, with x-default) and the language
    switcher (each edition's equivalent, else its home page). A view names
    the equivalents in ``request.alternates`` ({code: path}); worked out only
    when a template asks."""

    def __init__(self, request, current):
        self.request, self.current = request, current

    @cached_property
    def alternates(self) -> dict:
        return getattr(self.request, "alternates", None) or {}

    @cached_property
    def hreflang(self) -> list[tuple[str, str]]:
        paths = self.alternates
        if len(paths) < 2:
            return []
        editions = [e for e in editions_all() if e.code in paths]
        links = [(e.code, edition_url(e, paths[e.code], self.request)) for e in editions]
        main = next((url for code, url in links if code == editions_all()[0].code), None)
        return links + ([("x-default", main)] if main else [])

    @cached_property
    def switcher(self) -> list[tuple]:
        paths = self.alternates
        return [
            (
                edition,
                edition_url(
                    edition, paths.get(edition.code) or edition_home(edition), self.request
                ),
                edition.code == self.current.code,
            )
            for edition in editions_all()
        ]


def edition(request):
    """The edition being rendered (for <html lang>), the editions, and the
    page's links to its equivalents in them."""
    current = getattr(request, "edition", None) or edition_current()
    return {
        "edition": current,
        "editions": editions_all(),
        "edition_links": EditionLinks(request, current),
    }
