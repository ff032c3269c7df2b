import pytest

from tests.factories import staff_user


@pytest.fixture
def journalist(db):
    return staff_user("Journalist")


@pytest.fixture
def editor(db):
    return staff_user("Editor")


@pytest.fixture
def journalist_client(client, journalist):
    client.force_login(journalist)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache, so query counts do not depend on
    which tests ran before."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
