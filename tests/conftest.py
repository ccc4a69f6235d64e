import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Everything the kast writes while running (index, database, content repository) goes to a temporary
# runtime folder during the tests, never to var/ of the checkout, and data/ is only read.
os.environ.setdefault("KAST_VAR", tempfile.mkdtemp(prefix="kast-tests-var-"))

from kast.loader import load  # noqa: E402

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


@pytest.fixture(scope="session")
def web_index(tmp_path_factory) -> Path:
    """A search index of the real data, built once for the web tests in a folder of their own."""
    from kast.search import IndexStore

    root = tmp_path_factory.mktemp("webindex")
    IndexStore(root).open()
    return root


@pytest.fixture(scope="session")
def app(web_index, tmp_path_factory):
    """The Flask app on the real data, as in production (no TESTING flag: errors go to the handlers).
    Its runtime folder (accounts database, secret key) is a temporary one."""
    from web import create_app

    var = tmp_path_factory.mktemp("var")
    return create_app({"KAST_INDEX": str(web_index), "KAST_VAR": str(var),
                       "KAST_DATABASE_URL": f"sqlite:///{var / 'kast.sqlite'}"})


@pytest.fixture
def client(app):
    return app.test_client()
