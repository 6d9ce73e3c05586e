"""Normalised forms of identifiers and titles, used to spot duplicates."""

import re
from urllib.parse import urlsplit

from peerhub.search.text import fold_accents

DOI_RE = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)


def normalise_doi(value: str) -> str:
    """'https://doi.org/10.1000/ABC' and 'doi:10.1000/abc' both become '10.1000/abc'."""
    match = DOI_RE.search((value or "").strip())
    return match.group(0).rstrip(".,;").lower() if match else ""


def normalise_pmid(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits.lstrip("0")


def normalise_url(value: str) -> str:
    """Scheme, 'www.', trailing slashes, fragments and case of the host are not significant."""
    if not value:
        return ""
    parts = urlsplit(value.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def normalise_title(value: str) -> str:
    """Lower case, accents folded, punctuation and extra spaces removed."""
    text = fold_accents(value or "").lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def normalise_isbn(value: str) -> str:
    return re.sub(r"[^0-9Xx]", "", value or "").upper()
