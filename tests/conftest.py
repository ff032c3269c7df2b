import pytest

from tests.clock import NOW, Clock
from tests.factories import staff_user


def pytest_configure(config):
    config.addinivalue_line("markers", "now(moment): the fixed moment the test runs at")


@pytest.fixture(autouse=True)
def clock(request, time_machine):
    """Every test runs at a fixed moment (tests/clock.py), whatever the date
    CI runs on; ``@pytest.mark.now(moment)`` picks another one."""
    marker = request.node.get_closest_marker("now")
    clock = Clock(time_machine)
    clock.move_to(marker.args[0] if marker else NOW)
    return clock


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The editions as the migrations made them, read once before any test
    counts its queries (editions/selectors.py keeps them per process)."""
    from editions.selectors import editions_all, editions_forget

    with django_db_blocker.unblock():
        editions_forget()
        editions_all()


@pytest.fixture(autouse=True)
def _editions_as_migrated(django_db_blocker):
    """A test that changed an edition leaves the process's copy as it was
    (its changes were rolled back): the next test reads them again before it
    starts, once the rollback is done (a teardown here could run before it)."""
    from editions.selectors import _loaded, editions_all, editions_forget

    if _loaded["changed"]:
        with django_db_blocker.unblock():
            editions_forget()
            editions_all()
        _loaded["changed"] = False


@pytest.fixture(autouse=True)
def _default_content(request, django_db_blocker):
    """A test that commits (``transaction=True``) starts on a database the
    previous one emptied: it gets the editions and section trees the
    migrations create back first."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    from tests.factories import default_content_restore

    request.getfixturevalue("transactional_db")
    with django_db_blocker.unblock():
        default_content_restore()


@pytest.fixture
def announcements():
    """The articles app's announcements (articles/events.py) as they are
    sent: a list of (signal name, article id)."""
    from articles import events

    sent = []
    names = {"published": events.article_published, "withdrawn": events.article_withdrawn}
    names["updated"] = events.article_updated
    receivers = {}
    for name, signal in names.items():
        receivers[name] = lambda sender, article, name=name, **kwargs: sent.append(
            (name, article.pk)
        )
        signal.connect(receivers[name], weak=False)
    yield sent
    for name, signal in names.items():
        signal.disconnect(receivers[name])
