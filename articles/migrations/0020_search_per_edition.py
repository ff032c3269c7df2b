from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

# Each article is found in its edition's language: its stored vector is
# computed again with its edition's text search configuration ("russian",
# "simple"…), and editions without a stemmer (Belarusian) find words by
# trigram similarity of the headline and lead (pg_trgm, GIN indexes for
# `headline %> query`). A frozen copy of articles.models.search_document()
# as it is now: migrations do not import app code. Only PostgreSQL has
# text search and pg_trgm; on other databases every step does nothing.
TABLE = "articles_article"
TRIGRAM_INDEXES = {"article_headline_trgm_idx": "headline", "article_lead_trgm_idx": "lead"}


def document(apps, config):
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    Section = apps.get_model("articles", "Section")
    tag_names = (
        TaggedItem.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_id=OuterRef("pk"),
        )
        .order_by()
        .values("object_id")
        .annotate(names=StringAgg("tag__name", " "))
        .values("names")
    )
    section = Section.objects.filter(pk=OuterRef("section_id"))
    parent = Section.objects.filter(children=OuterRef("section_id"))
    return (
        SearchVector("headline", weight="A", config=config)
        + SearchVector(
            "lead",
            "dateline_place",
            Subquery(section.values("name")),
            Subquery(parent.values("name")),
            Subquery(tag_names),
            weight="B",
            config=config,
        )
        + SearchVector("body", weight="C", config=config)
    )


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} "
            f"ON {schema_editor.quote_name(TABLE)} USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    # The extension stays: something else may use it.
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def fill_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Article = apps.get_model("articles", "Article")
    Edition = apps.get_model("editions", "Edition")
    config = Coalesce(
        Subquery(Edition.objects.filter(pk=OuterRef("edition_id")).values("search_config")),
        Value("simple"),
    )
    Article.objects.using(schema_editor.connection.alias).update(
        search_vector=document(apps, config)
    )


def restore_search_vector(apps, schema_editor):
    """The vectors of 0015: every article in English."""
    if schema_editor.connection.vendor != "postgresql":
        return
    Article = apps.get_model("articles", "Article")
    Article.objects.using(schema_editor.connection.alias).update(
        search_vector=document(apps, "english")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_edition_sections"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        migrations.RunPython(fill_search_vector, restore_search_vector),
    ]
