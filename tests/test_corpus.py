import pytest

from kast import config
from kast.corpus import generate
from kast.loader import load


def test_synthetic_corpus_is_valid_and_marked(tmp_path):
    assert generate(tmp_path / "corpus", 25) == 25
    kast = load(tmp_path / "corpus")
    assert kast.ok, [str(m) for m in kast.errors[:5]]
    practices = [i for i, item in kast.items.items() if item.kind == "praktijk"]
    assert len(practices) == 25 and all(p.startswith("synthetisch-") for p in practices)
    text = (tmp_path / "corpus" / "practices" / "synthetisch-00001.md").read_text(encoding="utf-8")
    assert "[Synthetisch]" in text and "Synthetische praktijk" in text


def test_corpus_is_deterministic(tmp_path):
    generate(tmp_path / "a", 5)
    generate(tmp_path / "b", 5)
    for name in ("synthetisch-00001.md", "synthetisch-00005.md"):
        assert (tmp_path / "a" / "practices" / name).read_text() == (tmp_path / "b" / "practices" / name).read_text()


def test_never_written_into_the_real_data():
    with pytest.raises(ValueError, match="nooit in data/"):
        generate(config.DEFAULT_DATA, 1)
    with pytest.raises(ValueError):
        generate(config.DEFAULT_DATA / "practices", 1)
