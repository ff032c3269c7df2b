import logging

from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from articles.pagecache import content_changed

        from . import receivers
        from .api import KeyInURLFilter
        from .models import Partner

        # Changes of the news go to the partners' webhooks.
        receivers.connect()

        # Partner pages and attributions are on public pages too.
        post_save.connect(content_changed, sender=Partner, dispatch_uid="pages-Partner-save")
        post_delete.connect(content_changed, sender=Partner, dispatch_uid="pages-Partner-del")

        # Access logs write whole URLs: a partner who puts its key in one
        # must not have it kept in our logs.
        for name in ("django.server", "gunicorn.access"):
            logging.getLogger(name).addFilter(KeyInURLFilter())
