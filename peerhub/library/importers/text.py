"""Cleaning of the text found in exports: bytes to text, markup to plain text, tidy whitespace."""

import html
import re

# A tag-like run of characters: "<p>", "</jats:p>", "<i class='x'>". "p < 0.05" is not one.
TAG_RE = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
BLANK_LINES_RE = re.compile(r"\n{3,}")
# Ends of blocks become paragraph breaks, so a structured abstract keeps its shape.
BLOCK_END_RE = re.compile(r"</(?:jats:)?(?:p|sec|title|div|li|AbstractText)>|<br\s*/?>", re.IGNORECASE)


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 with or without a BOM; otherwise Windows-1252 (old EndNote and Excel exports), said so.
    Line endings become "\\n" whatever the exporting system used."""
    try:
        text, warnings = data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings = ["The file is not UTF-8; it was read as Windows-1252: check accented letters."]
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), warnings


def strip_markup(text: str) -> str:
    """Exports carry HTML and JATS (Lens <p>, Crossref <jats:p>, DataCite <b>): keep only the words.
    Tags are removed by pattern, not by an HTML parser: a parser treats JATS <title> as the page
    title and can swallow everything after it."""
    if "<" in text and TAG_RE.search(text):  # no "<", no tag: most values, checked without a regex scan
        text = TAG_RE.sub("", BLOCK_END_RE.sub("\n\n", text))
    return html.unescape(text) if "&" in text else text


def clean_line(value) -> str:
    """One line of plain text: markup removed and all runs of whitespace made single spaces."""
    text = value if type(value) is str else str(value or "")
    if "<" in text or "&" in text:  # most values hold neither: no markup to look for
        text = strip_markup(text)
    return " ".join(text.split())


def clean_paragraphs(value) -> str:
    """Plain text that keeps its paragraphs (abstracts): tidy each line, at most one blank line."""
    lines = [" ".join(line.split()) for line in strip_markup(str(value or "")).split("\n")]
    text = "\n".join(lines)
    return (BLANK_LINES_RE.sub("\n\n", text) if "\n\n\n" in text else text).strip()


def first(values) -> str:
    """The first non-empty value of a list (exports often repeat a field, or leave it blank)."""
    return next((v for v in values if v and str(v).strip()), "")
