"""The accounts database: one SQLAlchemy engine per URL, tables created on first use.

SQLite under the runtime folder by default ($KAST_VAR), any SQLAlchemy URL through $KAST_DATABASE_URL
(PostgreSQL in production and in CI).
"""
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from .. import config
from .models import Base

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def engine_for(url: str | None = None) -> Engine:
    url = config.database_url(url)
    with _lock:
        if url not in _engines:
            _engines[url] = _create(url)
        return _engines[url]


def _create(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _):   # WAL: gunicorn workers read while one writes; foreign keys for cascades
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    else:
        engine = create_engine(url, pool_pre_ping=True)
    create_tables(engine)
    return engine


def create_tables(engine: Engine, attempts: int = 5) -> None:
    """Create the tables that are missing. Two processes starting on a fresh database (gunicorn workers)
    can both find a table missing; the one whose CREATE then fails ('already exists', or a duplicate key in
    PostgreSQL's catalogue) looks again instead of stopping the worker."""
    for attempt in range(attempts):
        try:
            Base.metadata.create_all(engine)
            return
        except DBAPIError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(engine_for(url), expire_on_commit=False)


def forget(url: str | None = None) -> None:
    """Close and drop the engine of `url` (tests that remove their database)."""
    with _lock:
        engine = _engines.pop(config.database_url(url), None)
    if engine is not None:
        engine.dispose()
