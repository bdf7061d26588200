import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
CORPUS_DIR = SHARED_CORPUS if SHARED_CORPUS.is_dir() else REPO / "consult" / "demo" / "corpus"


@pytest.fixture(autouse=True, scope="session")
def _clean_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached page text must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    return factories.home_page()


@pytest.fixture
def agency(db):
    return factories.AgencyFactory(name="Bộ Tài nguyên và Môi trường", code="BTNMT")


@pytest.fixture
def draft(home, agency):
    return factories.draft_page(parent=home, agency=agency)


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="admin", is_superuser=True, is_staff=True)
