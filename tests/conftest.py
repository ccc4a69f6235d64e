import shutil
from pathlib import Path

import pytest

from kast.loader import load

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def kast():
    """The real kast: ontology and all shipped data, SHACL-validated."""
    return load()


@pytest.fixture
def basis(tmp_path) -> Path:
    """A copy of the small valid test data set, to break in a test."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "basis", data)
    return data
