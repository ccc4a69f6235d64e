"""Two gunicorn workers starting on a fresh database both create the tables: neither may fail."""
import multiprocessing

from sqlalchemy import inspect

ROUNDS, PROCESSES = 4, 4


def _start(url, barrier):
    from kast.accounts.db import engine_for
    import kast.profiles.service  # noqa: F401  (its tables are part of the same metadata)

    barrier.wait()
    engine_for(url)


def test_processes_starting_together_on_a_fresh_database_all_come_up(tmp_path):
    context = multiprocessing.get_context("fork")
    for n in range(ROUNDS):
        url = f"sqlite:///{tmp_path / f'verse-{n}.sqlite'}"
        barrier = context.Barrier(PROCESSES)
        processes = [context.Process(target=_start, args=(url, barrier)) for _ in range(PROCESSES)]
        for p in processes:
            p.start()
        for p in processes:
            p.join(timeout=120)
        assert [p.exitcode for p in processes] == [0] * PROCESSES
        from kast.accounts.db import engine_for, forget

        assert {"accounts", "profile_answers"} <= set(inspect(engine_for(url)).get_table_names())
        forget(url)
