import pytest


@pytest.fixture(autouse=True, scope="session")
def programmatic_logins_pass_the_second_factor():
    """client.login() and client.force_login() give a session past the second login step, as a
    session that entered a good code has (see tests/login_support.py). Two-factor enforcement stays
    on: a login through the real /admin/login/ view must still enter a code."""
    from django.contrib.auth.signals import user_logged_in

    from .login_support import verify_programmatic_login

    user_logged_in.connect(verify_programmatic_login, dispatch_uid="tests.verify_programmatic_login")
    yield
    user_logged_in.disconnect(dispatch_uid="tests.verify_programmatic_login")


@pytest.fixture(autouse=True)
def cold_caches():
    """Each test starts with an empty cache: the database rolls back between tests, the cache does
    not, and an image rendition that Wagtail remembers (in the default cache) must not outlive its
    row. Nor do purges left waiting for a commit that never came (TestCase never commits) reach
    the next test."""
    from django.core.cache import caches

    from partnership.cache import pending

    caches["default"].clear()
    pending.clear()


def pytest_sessionfinish(session, exitstatus):
    """iomeu/settings/test.py gives each test process (pytest-xdist's controller and workers alike)
    a media folder of its own in /tmp: remove it when the process is done."""
    import shutil
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT)
    if folder.name.startswith("iomeu-test-media-"):
        shutil.rmtree(folder, ignore_errors=True)
