"""A change is taken in between requests: a request in flight reads one version of the kast (web.live)."""
import shutil
import threading
from pathlib import Path

from kast.curation.entry import parse, serialise

DATA = Path(__file__).resolve().parent.parent / "data"


def test_a_change_waits_for_the_requests_in_flight_and_the_next_request_sees_it(tmp_path):
    from flask import jsonify

    from web import create_app

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    app = create_app({"KAST_DATA": str(data), "KAST_INDEX": str(tmp_path / "ix"), "TESTING": True})
    site = app.extensions["kast"]
    entered, finish = threading.Event(), threading.Event()

    def slow_title():   # a request that reads, waits, and reads again
        before = site.kast.items["actueel-damoclesbeleid"].entry.data.get("titel")
        entered.set()
        finish.wait(10)
        return jsonify(before=before, after=site.kast.items["actueel-damoclesbeleid"].entry.data.get("titel"))

    app.add_url_rule("/test-traag", view_func=slow_title)
    answers = {}
    request = threading.Thread(target=lambda: answers.update(r=app.test_client().get("/test-traag").get_json()))
    request.start()
    assert entered.wait(10)

    path = data / "practices" / "actueel-damoclesbeleid.md"
    path.write_bytes(serialise(dict(parse(path.read_bytes()), titel="Een nieuwe titel voor het Damoclesbeleid")))
    taken_in = threading.Event()
    change = threading.Thread(target=lambda: (site.reload([path]), taken_in.set()))
    change.start()
    assert not taken_in.wait(0.5), "de wijziging wachtte niet op het verzoek dat nog liep"
    finish.set()
    request.join(10)
    change.join(30)
    assert taken_in.is_set()
    assert answers["r"]["before"] == answers["r"]["after"] != "Een nieuwe titel voor het Damoclesbeleid"
    page = app.test_client().get("/praktijken/actueel-damoclesbeleid").get_data(as_text=True)
    assert "Een nieuwe titel voor het Damoclesbeleid" in page
