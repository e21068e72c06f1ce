import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard is cached per unit id; ids are reused from one test to the next."""
    cache.clear()
    yield
    cache.clear()
