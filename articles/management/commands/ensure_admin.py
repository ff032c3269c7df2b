import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".admin-login"


class Command(BaseCommand):
    help = (
        "Create the local admin account on first run (password from "
        "DJANGO_SUPERUSER_PASSWORD or random) and print how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="/admin/")

    def handle(self, *, username, url, **options):
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            CREDENTIALS_FILE.write_text(password)
            CREDENTIALS_FILE.chmod(0o600)
        if CREDENTIALS_FILE.exists():
            login = f"user {username!r}, password {CREDENTIALS_FILE.read_text().strip()!r}"
        else:
            login = f"user {username!r} (password unchanged; `manage.py changepassword {username}`)"
        self.stdout.write(self.style.SUCCESS(f"Newsroom admin: {url}  —  {login}"))
