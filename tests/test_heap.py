"""What a request leaves alive is frozen after its response, so a later full collection does not walk it
(web.heap: the full collection that made the first save after a publish take 0.3–0.5 s)."""
import gc
import shutil
import weakref
from pathlib import Path

from web import heap

DATA = Path(__file__).resolve().parent.parent / "data"


class Cache:
    """Stands for a cache a view builds on first use (a class instance: weak references allowed)."""


def _unfrozen(obj) -> bool:
    return any(o is obj for generation in range(3) for o in gc.get_objects(generation))


def test_what_a_request_builds_is_frozen_once_its_response_is_closed(tmp_path):
    from web import create_app

    shutil.copytree(DATA, tmp_path / "data")
    app = create_app({"KAST_DATA": str(tmp_path / "data"), "KAST_INDEX": str(tmp_path / "ix"), "TESTING": True})
    built = []
    app.add_url_rule("/test-bouw", view_func=lambda: built.append(Cache()) or "gebouwd")
    response = app.test_client().get("/test-bouw")
    assert response.status_code == 200
    assert _unfrozen(built[0]), "bevroren vóór het antwoord weg was"
    response.close()   # what the server does once the body has gone out
    assert not _unfrozen(built[0])
    gc.unfreeze()


def test_frozen_cycles_are_collected_after_enough_changes():
    heap.release()
    cycle = Cache()
    cycle.me = cycle
    gone = weakref.ref(cycle)
    heap.settle()   # frozen while alive
    del cycle
    for _ in range(heap.RELEASE_AFTER - 1):
        heap.changed()
    heap.settle()
    assert gone() is not None, "een bevroren kringverwijzing hoort te blijven tot genoeg wijzigingen"
    heap.changed()
    heap.settle()
    assert gone() is None
    gc.unfreeze()
