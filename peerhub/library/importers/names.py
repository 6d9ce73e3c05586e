"""Author names in the catalogue's one form, "Surname, Given", from the many forms exports use."""

import re

from peerhub.library.identifiers import normalise_title
from peerhub.library.importers.text import clean_line

# "DK", "C", "J.-P.", "M.A." : initials that follow a surname in PubMed and Web of Science style.
TRAILING_INITIALS_RE = re.compile(r"\s[A-Z]{1,4}\.$")
INITIALS_RE = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
PARTICLES = {"de", "da", "das", "del", "della", "der", "di", "do", "dos", "du", "la", "le", "van", "von", "ter", "ten"}
ORGANISATION_WORDS = {
    "association", "centre", "center", "college", "committee", "council", "department", "foundation", "group",
    "institute", "ministry", "network", "nhs", "organisation", "organization", "society", "trust", "university",
}


def tidy_name(name: str) -> str:
    # A list's last name often keeps its terminator: "O'Connor RE." (PubMed CSV) or "Smith, J;".
    # With a comma the dots are initials ("Shahtalebi, M. A."), so they stay.
    name = clean_line(name).strip(" ;")
    return name[:-1] if "," not in name and TRAILING_INITIALS_RE.search(name) else name


def initials_start(tokens: list[str]) -> int:
    """Where trailing initials start ("Griffin DK" -> 1), or 0 when the name does not end in initials."""
    start = len(tokens)
    while start > 1 and INITIALS_RE.match(tokens[start - 1]):
        start -= 1
    return start if start < len(tokens) else 0


def _looks_like_organisation(tokens: list[str]) -> bool:
    return len(tokens) > 4 or any(t.lower().strip(",.") in ORGANISATION_WORDS for t in tokens)


def surname_first(name: str, *, given_first: bool = False) -> str:
    """'Smith, Jane' stays; 'Griffin DK' -> 'Griffin, DK'; with given_first, 'Arfon M Smith' ->
    'Smith, Arfon M'. Organisations and single words are kept as written."""
    name = tidy_name(name)
    if "," in name:
        surname, given = (part.strip() for part in name.split(",", 1))
        return f"{surname}, {given}" if given else surname
    tokens = name.split()
    if len(tokens) < 2 or _looks_like_organisation(tokens):
        return name
    if initials_start(tokens):  # "Griffin DK"; "Abritis Alison J" (EPPI via Zotero) has its surname first too
        return surname_leading(name)
    if given_first:
        start = len(tokens) - 1
        while start > 1 and tokens[start - 1].lower() in PARTICLES:
            start -= 1
        return f"{' '.join(tokens[start:])}, {' '.join(tokens[:start])}"
    return name


def surname_leading(name: str) -> str:
    """EPPI-Reviewer writes "Surname Given Middle" with no comma: the first word (with any
    particles before it, as in "de Vasconcelos Sonia") is the surname."""
    tokens = tidy_name(name).split()
    if "," in name or _looks_like_organisation(tokens):
        return surname_first(name)
    split = 1
    while split < len(tokens) - 1 and tokens[split - 1].lower() in PARTICLES:
        split += 1
    if len(tokens) <= split:
        return " ".join(tokens)
    return f"{' '.join(tokens[:split])}, {' '.join(tokens[split:])}"


def surname_key(author: str) -> str:
    """The surname as comparable words: 'Murray-Boyle, C.' and 'Murray Boyle, Cailem' agree. A name
    without a comma cannot be split safely, so all its words are kept (see surnames_agree)."""
    return normalise_title(author.split(",", 1)[0])


def surnames_agree(a: str, b: str) -> bool:
    """Unknown on either side, or a word in common ('alrawadieh zaid' and 'alrawadieh')."""
    words_a = {w for w in a.split() if len(w) > 1 and w not in PARTICLES}
    words_b = {w for w in b.split() if len(w) > 1 and w not in PARTICLES}
    return not words_a or not words_b or bool(words_a & words_b)
