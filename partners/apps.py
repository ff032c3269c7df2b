import logging

from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        from . import receivers, signals  # noqa: F401
        from .api import KeyInURLFilter

        # Changes of the news go to the partners' webhooks.
        receivers.connect()

        # Access logs write whole URLs: a partner who puts its key in one
        # must not have it kept in our logs.
        for name in ("django.server", "gunicorn.access"):
            logging.getLogger(name).addFilter(KeyInURLFilter())
