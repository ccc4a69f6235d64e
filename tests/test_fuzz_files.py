"""Generated broken and hostile entry files (Hypothesis, over the real file format), each taken in with
`reload` by a loaded kast: accepted, or refused with file, field and reason — never a traceback, never a
hang, and never a change to what was already loaded."""
import gc
import hashlib
import os
import shutil
import time

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kast.loader import load, reload
from kast.readers import MAX_ENTRY_BYTES, Reader

from .conftest import FIXTURES

EXAMPLES = int(os.environ.get("KAST_FUZZ_EXAMPLES", 1000))
BASE = yaml.safe_load((FIXTURES / "basis" / "practices" / "voorbeeldpraktijk.md").read_text(encoding="utf-8")
                      .split("---")[1])
BODY = (FIXTURES / "basis" / "practices" / "voorbeeldpraktijk.md").read_text(encoding="utf-8").split("---", 2)[2]
NAME = "gegenereerd"

HOSTILE_TEXT = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>", "javascript:alert(1)",
    "{{ config }}", "${7*7}", "' OR 1=1 --", "../../etc/passwd", "\u202eevil", "\ufeffbom", "a\u0000b", "\x1b[31m",
    "bel 06-12345678", "mail info@example.nl", "BSN 111222333", "x" * 5000, "ä" * 300, "🙂" * 50, "",
    " ", "no", "yes", "on", "off", "~", "null", "010", "1:20", "0x1F", ".inf", "2017-13-45", "2017-02-30",
])
SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10 ** 20), st.floats(allow_nan=True),
    st.text(max_size=60), HOSTILE_TEXT, st.dates().map(str),
)
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                     max_leaves=12)
KEYS = sorted(BASE) + ["probleem", "onbekend", "Titel", "titel ", "relaties", "secties", "periode", "context"]
IDS = st.sampled_from(["testwet", "testvereniging", "testthema-integriteit", "bestaat-niet", "gm0106", "t01",
                       "voorbeeldpraktijk", NAME, ""])


@st.composite
def front_matter(draw):
    """A practice head: the valid one with fields dropped, added, retyped or pointed at nothing."""
    data = dict(BASE)
    data["id"] = NAME
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["drop", "set", "ref", "nest"]))
        key = draw(st.sampled_from(KEYS))
        if action == "drop":
            data.pop(key, None)
        elif action == "set":
            data[key] = draw(VALUE)
        elif action == "ref":
            data[key] = draw(st.lists(IDS, max_size=3))
        else:
            data[key] = {"van": draw(VALUE), "tot": draw(VALUE), "organisatie": draw(IDS), "functie": draw(HOSTILE_TEXT),
                         "grootte": draw(VALUE)}
    if draw(st.booleans()):
        data["bronnen"] = [{"bron": draw(st.one_of(IDS, SCALAR)), "sectie": draw(SCALAR),
                            "onderbouwt": draw(st.one_of(VALUE, st.lists(st.sampled_from(KEYS))))}]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def valid_variant(draw):
    """A head that should be accepted: valid, with markup, script, odd Unicode or YAML 1.1 words as text."""
    data = dict(BASE)
    data["id"] = NAME
    for key in draw(st.lists(st.sampled_from(["titel", "samenvatting", "andere-namen", "zoektermen"]), max_size=3)):
        text = draw(HOSTILE_TEXT.filter(lambda t: t.strip() and "\x00" not in t and "\x1b" not in t and "@" not in t
                                        and "06-" not in t and "BSN" not in t))
        data[key] = [text] if key in ("andere-namen", "zoektermen") else text
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


RAW_HEADS = st.sampled_from([
    # YAML that safe_load would expand, or that crashes libyaml, or that YAML 1.1 reads differently
    "id: gegenereerd\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
    "id: gegenereerd\ntitel: &t Titel\nsamenvatting: *t\n",
    "id: gegenereerd\nthemas: " + "[" * 5000 + "]" * 5000 + "\n",
    "id: gegenereerd\nthemas:\n" + "- " * 20000 + "x\n",
    "id: gegenereerd\ncontext: " + "{a: " * 200 + "1" + "}" * 200 + "\n",
    "id: gegenereerd\ntitel: !!python/object/apply:os.system [ls]\n",
    "id: gegenereerd\ntitel: !!binary aGVsbG8=\n",
    "id: gegenereerd\nsoort: no\nstatus: yes\nzichtbaarheid: off\n",
    "id: gegenereerd\nperiode: {van: 0x7E1, tot: 1:20}\n",
    "id: gegenereerd\naangemaakt: 2017-13-45\n",
    "id: gegenereerd\n? [a, b]\n: c\n",
    "id: gegenereerd\n1: een getal als veldnaam\n",
    "- id: gegenereerd\n",
    "gegenereerd",
    "id: gegenereerd\nid: iets-anders\n",
    "id: gegenereerd\ntitel: 'niet afgesloten\n",
    "",
])


@st.composite
def practice_file(draw) -> bytes:
    if draw(st.integers(0, 3)) == 0:   # a quarter: well-formed files whose texts carry markup and odd words
        extra = draw(HOSTILE_TEXT.filter(lambda t: "\x00" not in t and "\x1b" not in t and "@" not in t
                                         and "06-" not in t and "BSN" not in t and "\n" not in t))
        return ("---\n" + draw(valid_variant()) + "---\n"
                + BODY.replace("Toets vroeg.", f"Toets vroeg. {extra}")).encode("utf-8")
    head = draw(st.one_of(valid_variant(), front_matter(), RAW_HEADS, RAW_HEADS.map(lambda h: h + draw(front_matter()))))
    body = draw(st.one_of(st.just(BODY), st.text(max_size=300), HOSTILE_TEXT.map(lambda t: f"\n## {t}\n{t}\n"),
                          st.just(BODY.replace("## Probleem", "## <script>Probleem</script>"))))
    text = draw(st.sampled_from(["---\n{h}---\n{b}", "---\n{h}---\n{b}".replace("\n", "\r\n"), "{h}{b}",
                                 "\ufeff---\n{h}---\n{b}", "---\n{h}{b}"])).format(h=head, b=body)
    data = text.encode("utf-8")
    mangle = draw(st.sampled_from(["", "", "", "latin1", "cut", "nul", "huge", "bell"]))
    if mangle == "latin1":
        data = text.encode("utf-8").replace("é".encode(), b"\xe9") + b"\xff\xfe caf\xe9"
    elif mangle == "cut":   # a file cut off in the middle of a UTF-8 character
        data = (text + "ë").encode("utf-8")[:-1]
    elif mangle == "nul":
        data = data[: len(data) // 2] + b"\x00" + data[len(data) // 2:]
    elif mangle == "huge":
        data = data + b"\n" + b"x" * (MAX_ENTRY_BYTES + 1)
    elif mangle == "bell":
        data = data.replace(b"Adviseur", b"Advi\x07seur")
    return data


@pytest.fixture(scope="module")
def fuzz_kast(tmp_path_factory):
    data = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(FIXTURES / "basis", data)
    kast = load(data)
    assert kast.ok
    return kast


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(content=practice_file())
def test_generated_practice_files(fuzz_kast, content):
    kast = fuzz_kast
    data_dir = kast.data_dir
    path = data_dir / "practices" / f"{NAME}.md"
    name = f"data/practices/{NAME}.md"
    graph, items, files, messages = set(kast.graph), dict(kast.items), dict(kast.file_of), list(kast.messages)
    stored = _digest(data_dir)
    path.write_bytes(content)
    try:
        # The reader's own parsing work: thread_time, not process_time (server threads of other tests in this
        # worker must not count), and without a collection of the test process's whole heap in between.
        gc.disable()
        try:
            started = time.thread_time()
            Reader(data_dir).read(path, "praktijk")
            took = time.thread_time() - started
        finally:
            gc.enable()
        assert took < 0.1, "een bestand lezen kostte meer dan 100 ms rekentijd"
        result = reload(kast, [path])
    finally:
        path.unlink()
    assert (name in result.accepted) != (name in result.rejected)
    for m in result:
        assert m.file == name and m.text.strip() and len(m.text) < 600, str(m)
    event("geweigerd" if name in result.rejected else "aanvaard")
    for m in result[:1]:
        event(f"eerste melding: {m.text[:28]}")
    if name in result.rejected:
        assert any(m.severity == "fout" and "de vorige versie blijft geladen" not in m.text for m in result)
        assert set(kast.graph) == graph and kast.items == items and kast.file_of == files and kast.messages == messages
    else:
        assert kast.items[NAME].entry.file == name
        assert all(m.severity == "waarschuwing" for m in result), [str(m) for m in result]
        removed = reload(kast, [path])
        assert removed.ok and removed.removed == {NAME}
        assert set(kast.graph) == graph and kast.items == items
    stored.pop(f"{NAME}.md", None)
    assert _digest(data_dir) == stored   # nothing else on disk was touched


def test_hostile_list_file_keeps_the_rest(fuzz_kast):
    """An actor list with an alias bomb is refused as a whole; the actors already loaded stay."""
    kast = fuzz_kast
    path = kast.data_dir / "actors" / "bom.yaml"
    path.write_text("- id: a\n  naam: &x [y, y, y, y]\n- id: b\n  naam: *x\n", encoding="utf-8")
    try:
        result = reload(kast, [path])
    finally:
        path.unlink()
    assert result.rejected == ["data/actors/bom.yaml"]
    assert any("ankers en verwijzingen" in m.text for m in result)
    assert "testvereniging" in kast.items and "a" not in kast.items
