"""Snippets: a stretch of text around the first matching words, escaped, with the matches in <mark>.

Written here rather than with whoosh.highlight because that analyses the whole text through the full
analyser chain: 3–4 ms for ten results, more than a whole search may take. This stems only the words
that share their first letters with a query term.
"""
import re
from html import escape

from .analysis import FOLD, STOPWORDS, TOKENS, stem

TOKEN = re.compile(TOKENS)
LENGTH = 220
BEFORE = 60


def snippet(text: str, terms: set[str], always: bool = False, length: int = LENGTH) -> str:
    """An escaped excerpt of `text` around the first word whose stem is in `terms`, matches marked.

    Returns "" when nothing matches, unless `always` (then the start of the text).

    >>> snippet("De <b>wethouders</b> werden bedreigd.", {"wethouder"})
    'De &lt;b&gt;<mark>wethouders</mark>&lt;/b&gt; werden bedreigd.'
    """
    spans = []
    folded = text.lower().translate(FOLD)
    if terms and len(folded) == len(text):   # folding kept every offset: look only at candidate words
        starts = "|".join(sorted({re.escape(t[:3]) for t in terms}))
        candidates = re.finditer(rf"(?<!\w)(?={starts}){TOKENS}", folded)
    else:
        candidates = TOKEN.finditer(folded) if terms else ()
    for m in candidates:
        word = m.group()
        if word not in STOPWORDS and stem(word) in terms:
            spans.append(m.span())
    if not spans and not always:
        return ""
    start = 0
    if spans and spans[0][0] > BEFORE:
        start = text.rfind(" ", 0, spans[0][0] - BEFORE) + 1
    end = min(len(text), start + length)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    out, pos = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    body = " ".join("".join(out).split())
    return ("… " if start else "") + body + (" …" if end < len(text) else "")
