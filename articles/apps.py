from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        import reversion
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
