"""The Whoosh schema and the Dutch analyser."""
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

from .documents import FACETS

# Keeps "13b", "art. 26" and "1%-clubs" as tokens a user can type.
TOKENS = r"\w+(?:[.'-]\w+)*%?"


def dutch_analyzer(stem: bool = True):
    """Tokenise, lowercase, fold accents (coöperatie = cooperatie), drop Dutch stop words, stem.

    >>> [t.text for t in dutch_analyzer()("De coöperatie en de bedreigde wethouders")]
    ['cooperatie', 'bedreigd', 'wethouder']
    """
    chain = (RegexTokenizer(TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)
             | StopFilter(stoplist=stopwords_for_language("nl"), minsize=1))
    return chain | StemFilter(lang="nl") if stem else chain


def build_schema() -> Schema:
    nl = dutch_analyzer()
    fields = {
        "id": ID(stored=True, unique=True),
        "kind": ID(stored=True),
        "title": TEXT(analyzer=nl, stored=True, field_boost=4.0),
        "labels": TEXT(analyzer=nl, stored=True, field_boost=3.0),
        "summary": TEXT(analyzer=nl, stored=True, field_boost=2.0),
        "body": TEXT(analyzer=nl, stored=True),
        # Unstemmed words, the vocabulary for spelling suggestions.
        "spell": TEXT(analyzer=dutch_analyzer(stem=False), spelling=True),
        "concepts": KEYWORD(commas=True, stored=True, scorable=True),
        "facetvalues": STORED,
    }
    for name in FACETS:
        fields[f"f_{name}"] = KEYWORD(commas=True)
    return Schema(**fields)
