"""Snippets with the matched words marked. Every piece of text is escaped first; only the
<mark> tags we add are markup, so nothing a record or a searcher wrote is ever trusted as HTML."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from peerhub.search.query import Query, highlight_words
from peerhub.search.text import STOPWORDS, american, normalise_text, term

SPLIT_RE = re.compile(r"([^\W_]+)")
LEAD_WORDS = 8  # words shown before the first match, for context


def _matches(word: str, exact: set[str], prefixes: tuple[str, ...]) -> bool:
    normal = normalise_text(word)
    if normal in STOPWORDS:
        return False
    return term(normal) in exact or any(american(normal).startswith(p) for p in prefixes)


def _window(pieces: list[str], hits: list[bool], max_words: int) -> tuple[int, int]:
    """Piece indexes [start, end) holding max_words words, starting a little before the first hit."""
    word_at = list(range(1, len(pieces), 2))
    first = next((n for n, i in enumerate(word_at) if hits[i]), 0)
    start_word = max(0, min(first - LEAD_WORDS, len(word_at) - max_words))
    end_word = min(len(word_at), start_word + max_words)
    start = word_at[start_word] if start_word > 0 else 0
    end = word_at[end_word - 1] + 1 if end_word < len(word_at) else len(pieces)
    return start, end


def highlight(text: str, query: Query | None, max_words: int = 40) -> SafeString:
    """About max_words words of text around the first match, matched words in <mark>."""
    pieces = SPLIT_RE.split(text or "")
    exact, prefixes = highlight_words(query) if query else (set(), ())
    hits = [i % 2 == 1 and _matches(p, exact, prefixes) for i, p in enumerate(pieces)]
    start, end = _window(pieces, hits, max_words)
    shown = [f'<mark class="peerhub-hit">{escape(p)}</mark>' if hits[i] else escape(p)
             for i, p in enumerate(pieces[start:end], start)]
    before = "…" if start > 1 else ""
    after = "…" if end < len(pieces) - 1 else ""
    return mark_safe(before + "".join(shown) + after)  # noqa: S308 - every piece was escaped above
