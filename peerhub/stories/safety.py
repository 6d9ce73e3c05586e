"""Safety checks on a story's text, run when it is submitted and again when a moderator edits.

Two kinds of finding:
- likely personal data (names, email addresses, UK phone numbers, NHS numbers, full postcodes,
  dates of birth), which a moderator removes before publication;
- mentions of crisis, self-harm or abuse, which send the story for a careful review and show
  signposting to help on its page.

The patterns aim to catch what people actually write while leaving ordinary text alone; the
tests hold a varied set of true and false positives for each."""

import re
from dataclasses import asdict, dataclass

EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# UK numbers start 0 or +44; spaces, dashes, dots and brackets may sit between digit groups.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?|\(?0)(?:[\s\-.()]*\d){9,10}(?!\d)")
NHS_NUMBER_RE = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
# Full postcodes only (outward and inward parts); the inward part never uses C, I, K, M, O or V.
POSTCODE_RE = re.compile(r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
MONTHS = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
         "oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
DATE = rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\s+\d{{4}})"
DOB_RE = re.compile(rf"\b(?:born(?:\s+on)?|date\s+of\s+birth|d\.?o\.?b\.?|birthday)\W{{0,3}}(?:is\s+|was\s+)?({DATE})",
                    re.IGNORECASE)
NAME = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
# Capitalised words that follow "Dr" or "my son" without being names ("Dr. Then I ...").
NOT_NAMES = frozenset("The Then And But So I It He She They We You Her Him My When After Before Because Is Was".split())
NAME_PATTERNS = [
    re.compile(rf"\b(?:[Mm]y name is|[Ii] am called|[Ii]'m called|[Cc]all me)\s+({NAME}(?:\s+{NAME})?)"),
    re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Professor|Prof)\.?\s+({NAME}(?:\s+{NAME})?)"),
    re.compile(rf"\b[Mm]y\s+(?:son|daughter|husband|wife|partner|mum|mother|dad|father|brother|sister|friend|"
               rf"grandson|granddaughter|child|boy|girl),?\s+({NAME})"),
]
CRISIS_RE = re.compile(
    r"\b(?:suicid\w*|kill(?:ing)?\s+(?:myself|himself|herself|themselves)|end(?:ing)?\s+(?:my|his|her|their)\s+life|"
    r"take\s+my\s+own\s+life|self[\s-]?harm\w*|cut(?:ting)?\s+myself|overdos\w*|"
    r"abus(?:e|ed|ive|er)|domestic\s+violence|assault\w*|rape[d]?)\b",
    re.IGNORECASE,
)

LABELS = {
    "name": "a name",
    "email": "an email address",
    "phone": "a phone number",
    "nhs_number": "an NHS number",
    "postcode": "a full postcode",
    "date_of_birth": "a date of birth",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    def as_dict(self) -> dict:
        return asdict(self)


def is_valid_nhs_number(digits: str) -> bool:
    """The NHS number's modulus 11 check: weights 10 down to 2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    if check == 10:
        return False  # no valid NHS number has this check value
    return (0 if check == 11 else check) == int(digits[9])


def _names(text: str) -> list[str]:
    found = []
    for pattern in NAME_PATTERNS:
        for match in pattern.finditer(text):
            words = [w for w in match.group(1).split() if w not in NOT_NAMES]
            if words and words[0] == match.group(1).split()[0]:
                found.append(" ".join(words))
    return found


def _nhs_numbers(text: str) -> list[str]:
    return [m.group(0) for m in NHS_NUMBER_RE.finditer(text) if is_valid_nhs_number("".join(m.groups()))]


def _phones(text: str) -> list[str]:
    # An NHS number never starts with 0, but a 10-digit run could pass both tests: report it once.
    return [m.group(0).strip() for m in PHONE_RE.finditer(text)]


def personal_data_findings(text: str) -> list[Finding]:
    """Likely personal data in the text, each kind in a fixed order, without repeats."""
    text = text or ""
    found = [Finding("name", n) for n in _names(text)]
    found += [Finding("email", m.group(0)) for m in EMAIL_RE.finditer(text)]
    found += [Finding("phone", p) for p in _phones(text)]
    phones = {re.sub(r"\D", "", f.text) for f in found if f.kind == "phone"}
    found += [Finding("nhs_number", n) for n in _nhs_numbers(text) if re.sub(r"\D", "", n) not in phones]
    found += [Finding("postcode", m.group(0)) for m in POSTCODE_RE.finditer(text)]
    found += [Finding("date_of_birth", m.group(1)) for m in DOB_RE.finditer(text)]
    return list(dict.fromkeys(found))


def mentions_crisis(text: str) -> bool:
    return bool(CRISIS_RE.search(text or ""))


def describe_findings(findings) -> str:
    """"a phone number and an email address": the kinds found, in plain English."""
    labels = list(dict.fromkeys(LABELS[f["kind"] if isinstance(f, dict) else f.kind] for f in findings))
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def story_findings(data: dict) -> list[Finding]:
    """Likely personal data in a story's text fields, checked before it is sent. The storyteller's
    chosen name is left out: showing it is what they asked for."""
    fields = ["title", "body", "transcript", "storyteller_detail", "purpose_detail", "audience_detail",
              "outcome_detail", "actions_detail"]
    return personal_data_findings("\n".join(data.get(name, "") for name in fields))
