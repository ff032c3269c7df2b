"""Test settings: the real settings, with fast hashing, mail kept in memory and
a throwaway MEDIA_ROOT. DATABASE_URL still chooses SQLite or PostgreSQL."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key-not-used-anywhere-else")

from newsportal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsportal-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="newsportal-test-static-")
SECURE_SSL_REDIRECT = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tasks run at once, inside the test, where their results can be checked.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Pages are rendered on every request, so tests see (and pin) their queries;
# tests of the page cache turn it on.
PUBLIC_PAGE_CACHE = False
# Tests share one process: pages kept in its memory would outlive the
# cache.clear() between tests (test_pagecache.py turns it on where tested).
PUBLIC_PAGE_LOCAL_SECONDS = 0
# The editions are read once (tests/conftest.py reads them again after a
# test that changed them), so query counts do not depend on the clock.
EDITIONS_CACHE_SECONDS = 10**9
# Each view written at once, so tests read their counts straight away.
MOST_READ_FLUSH_SECONDS = 0
