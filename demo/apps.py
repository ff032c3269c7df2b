from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for a local site (`manage.py load_demo`, run by `make run`).
    It may know every app, so it sits above them all: no app imports it."""

    name = "demo"
    verbose_name = "Demo content"
