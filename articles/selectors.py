from django.db.models import QuerySet

from .models import Article, Section


def section_articles_latest(*, section: Section, limit: int) -> QuerySet[Article]:
    """The newest ``limit`` published articles filed under ``section`` or one
    of its children, as their primary or a secondary section.

    Two small queries take the newest of each kind with the section ids
    written out, so that PostgreSQL walks the section/status/published_at index
    (or the secondary sections' index) and stops after ``limit`` rows. One OR
    over both made it walk the whole archive for a section with little news.
    """
    section_ids = [section.pk, *section.children.values_list("pk", flat=True)]
    newest = Article.objects.published().order_by("-published_at", "-pk")
    primary = newest.filter(section__in=section_ids).values_list("pk", flat=True)[:limit]
    secondary = newest.filter(secondary_sections__in=section_ids).values_list("pk", flat=True)
    ids = {*primary, *secondary[:limit]}
    return newest.filter(pk__in=ids)[:limit]
