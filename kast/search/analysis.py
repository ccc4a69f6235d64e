"""Dutch text analysis (Whoosh's analysers and Snowball stemmer), shared by indexing, querying and snippets."""
import re
from functools import lru_cache

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

# Keeps "13b", "art. 26" and "1%-clubs" as tokens a user can type.
TOKENS = r"\w+(?:[.'-]\w+)*%?"
STOPWORDS = frozenset(stopwords_for_language("nl"))
_stem = lru_cache(maxsize=200_000)(stemmer_for_language("nl"))


def dutch_analyzer(stem: bool = True):
    """Tokenise, lowercase, fold accents (coöperatie = cooperatie), drop Dutch stop words, stem.

    >>> [t.text for t in dutch_analyzer()("De coöperatie en de bedreigde wethouders")]
    ['cooperatie', 'bedreigd', 'wethouder']
    """
    chain = (RegexTokenizer(TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)
             | StopFilter(stoplist=STOPWORDS, minsize=1))
    return chain | StemFilter(stemfn=_stem) if stem else chain


_words = dutch_analyzer(stem=False)
_TOKEN = re.compile(TOKENS, re.UNICODE)


def words(text: str) -> list[str]:
    """Lowercased, accent-folded words without stop words (the spelling vocabulary).

    The same steps as `dutch_analyzer(stem=False)` without Whoosh's token objects: five times faster,
    which matters when 10,000 practices are indexed (tests/test_search.py compares both).

    >>> words("De Coöperatie!")
    ['cooperatie']
    """
    return [w for w in map(_folded, _TOKEN.findall(text)) if w and w not in STOPWORDS]


@lru_cache(maxsize=200_000)
def _folded(token: str) -> str:
    return token.lower().translate(_FOLD_MAP)


def stem(word: str) -> str:
    """The Snowball stem of one folded word (cached: the same few thousand words recur everywhere).

    >>> stem("wethouders")
    'wethouder'
    """
    return _stem(word)


def stem_each(words):
    """The stems of `words`, one by one (the cached stemmer without a Python call per word).

    >>> list(stem_each(["bedreigde", "wethouders"]))
    ['bedreigd', 'wethouder']
    """
    return map(_stem, words)


def stems(text: str) -> list[str]:
    """`dutch_analyzer()` as a list, in one pass that shares the stem cache.

    >>> stems("De bedreigde wethouders")
    ['bedreigd', 'wethouder']
    """
    return [_stem(w) for w in words(text)]


FOLD = str.maketrans(accent_map)
_FOLD_MAP = accent_map    # what Whoosh's CharsetFilter translates with


def fold(word: str) -> str:
    """Lowercase and fold accents of one token, as the analyser does.

    >>> fold("Coöperatie")
    'cooperatie'
    """
    return word.lower().translate(FOLD)
