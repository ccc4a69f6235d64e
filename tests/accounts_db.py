"""The databases the account tests run on: SQLite always, PostgreSQL when $KAST_TEST_POSTGRES_URL names
one (CI starts a real server and sets it; there the PostgreSQL runs must not be skipped)."""
import os

import pytest

POSTGRES = os.environ.get("KAST_TEST_POSTGRES_URL")


def backends() -> list:
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def database_url(backend: str, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'accounts.sqlite'}"
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI zet KAST_TEST_POSTGRES_URL: .ci/run start PostgreSQL voor de accounttests")
        pytest.skip("geen PostgreSQL (zet KAST_TEST_POSTGRES_URL om ook daarop te testen)")
    from kast.accounts.db import engine_for
    from kast.accounts.models import Base

    engine = engine_for(POSTGRES)
    Base.metadata.drop_all(engine)   # every test starts from empty tables
    Base.metadata.create_all(engine)
    return POSTGRES
