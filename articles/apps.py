from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        import reversion
        from django.db.backends.signals import connection_created
        from taggit.models import TaggedItem

        from . import signals  # noqa: F401
        from .models import Article

        # Revisions keep the copy, placement and tags; never the workflow
        # state or derived columns, which a restore must not roll back.
        reversion.register(TaggedItem)
        reversion.register(
            Article,
            follow=["tagged_items"],
            exclude=[
                "search_vector",
                "version",
                "last_changed_by",
                "updated_at",
                "announced_public",
                "text_updated_at",
            ],
        )
        connection_created.connect(_sqlite_unicode_lower)


def _sqlite_unicode_lower(sender, connection, **kwargs):
    """SQLite's LOWER() (and LIKE) fold only ASCII letters: the search
    fallback compares LOWER(column) with the lowered query, so LOWER folds
    every script there ("Выставка" is found by "выставка")."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "LOWER", 1, lambda text: None if text is None else text.lower(), deterministic=True
        )
