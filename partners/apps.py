import logging

from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        from . import signals  # noqa: F401
        from .api import KeyInURLFilter

        # Access logs write whole URLs: a partner who puts its key in one
        # must not have it kept in our logs.
        for name in ("django.server", "gunicorn.access"):
            logging.getLogger(name).addFilter(KeyInURLFilter())
