import pytest

from training import services
from training.tests.factories import INDICATORS, small_module


@pytest.fixture
def indicators(db):
    services.indicators_load(data=INDICATORS)


@pytest.fixture
def module(indicators):
    """The small test module, loaded and published as version 1 in the national library."""
    module, _ = services.module_load_from_json(data=small_module())
    return module


@pytest.fixture
def version(module):
    return module.versions.get()
