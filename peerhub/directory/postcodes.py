"""GB postcodes: parsing what people type, and the attribution the centroid data requires.

People type full postcodes ("sw1a 1aa"), sectors ("SW1A 1") or districts ("SW1A"). We locate
each at the centroid of its sector (more precise) or else its district, from the ONS-derived
table loaded by `peerhub load_postcodes`."""

import re
from dataclasses import dataclass

# Copied exactly from data/uk-postcode-centroids/README.md: the OGL requires these lines
# wherever the data is used or displayed.
ATTRIBUTION_LINES = [
    "Contains OS data © Crown copyright and database right 2025",
    "Contains Royal Mail data © Royal Mail copyright and database right 2025",
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0",
]
OUTWARD = r"([A-Z]{1,2}[0-9][A-Z0-9]?)"
FULL_RE = re.compile(rf"^{OUTWARD} ?([0-9])([A-Z]{{2}})$")
SECTOR_RE = re.compile(rf"^{OUTWARD} ([0-9])$")
DISTRICT_RE = re.compile(rf"^{OUTWARD}$")
LOOKS_LIKE_POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9 ]*$")
NOT_COVERED = {
    "BT": "Northern Ireland postcodes (starting BT) are not covered: the postcode data we may use covers "
          "Great Britain only. You can still use the online and phone services listed below.",
    "GY": "Guernsey postcodes are not covered: this directory covers Great Britain only.",
    "JE": "Jersey postcodes are not covered: this directory covers Great Britain only.",
    "IM": "Isle of Man postcodes are not covered: this directory covers Great Britain only.",
}


class PostcodeError(ValueError):
    """A postcode we cannot place; the message is written for the person who typed it."""

    def __init__(self, message: str, *, not_covered: bool = False):
        super().__init__(message)
        self.not_covered = not_covered


@dataclass(frozen=True)
class ParsedPostcode:
    district: str
    sector: str = ""  # "SW1A 1" when the input had at least a sector
    full: str = ""  # "SW1A 1AA" when the input was a whole postcode

    @property
    def label(self) -> str:
        return self.full or self.sector or self.district


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().upper())


def looks_like_postcode(text: str) -> bool:
    """True for anything shaped like a GB postcode or part of one (so a place name is not)."""
    return bool(LOOKS_LIKE_POSTCODE_RE.match(normalise(text)))


def parse_postcode(text: str) -> ParsedPostcode:
    """The postcode's district and sector, or PostcodeError with a plain-English reason."""
    value = normalise(text)
    _refuse_not_covered(value)
    if match := FULL_RE.match(value):
        district, digit, unit = match.groups()
        return ParsedPostcode(district, f"{district} {digit}", f"{district} {digit}{unit}")
    if match := SECTOR_RE.match(value):
        district, digit = match.groups()
        return ParsedPostcode(district, f"{district} {digit}")
    if DISTRICT_RE.match(value):
        return ParsedPostcode(value)
    raise PostcodeError(f"“{text.strip()}” is not a valid postcode. Enter a full postcode like SW1A 1AA, "
                        "or the first part, like SW1A.")


def _refuse_not_covered(value: str) -> None:
    area = re.match(r"^[A-Z]+", value)
    if area and area.group() in NOT_COVERED:
        raise PostcodeError(NOT_COVERED[area.group()], not_covered=True)
