"""Publication dates as exports write them: '2021/04/21/', '2019/09//undefined', '2002 Sep',
'2012 Oct 15', '2018 Jan-Feb', 'October', CSL date-parts with strings, nulls or extra parts."""

import re
from dataclasses import dataclass

# Year, then optional numeric month and day: 2021, 2021/06//, 2020-05-18, 1989//.
NUMERIC_RE = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})?)?(?:[-/.](\d{1,2}))?(?!\d)")
COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")  # 20180327, MEDLINE's DEP and EndNote's edition
YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
MONTH_RE = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+(\d{1,2})\b)?", re.I)
MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
EARLIEST_YEAR, LATEST_YEAR = 1000, 2100


@dataclass
class PubDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None


def checked(year, month=None, day=None) -> PubDate:
    """Only plausible parts survive: a month needs a year, a day needs a month."""
    year = year if year and EARLIEST_YEAR <= year <= LATEST_YEAR else None
    month = month if year and month and 1 <= month <= 12 else None
    day = day if month and day and 1 <= day <= 31 else None
    return PubDate(year, month, day)


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def month_from_text(text: str) -> tuple[int | None, int | None]:
    """'Sep' -> (9, None); 'Oct 15' -> (10, 15); seasons and ranges give their first month or none."""
    match = MONTH_RE.search(text or "")
    if not match:
        return None, None
    return MONTHS[match.group(1).lower()], _int(match.group(2))


def parse_date(text) -> PubDate:
    text = str(text or "")
    match = NUMERIC_RE.match(text) or COMPACT_RE.match(text)
    if match:
        year, month, day = (_int(g) for g in match.groups())
        if month is None:
            month, day = month_from_text(text[match.end():])
        return checked(year, month, day)
    year = YEAR_RE.search(text)
    return checked(_int(year.group(1)) if year else None, *month_from_text(text))


def from_date_parts(parts) -> PubDate:
    """CSL 'date-parts': [[2018, 3, 1]], [["2017", "07", "07"]], [[]], [[null]], [[2018, 10, 21, 13]]."""
    first_date = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
    numbers = [_int(p) for p in first_date[:3]]
    return checked(*numbers) if numbers else PubDate()


def pick_date(*candidates) -> PubDate:
    """The first candidate with a year; a later, fuller date for the same year adds month and day."""
    dates = [parse_date(c) for c in candidates if c]
    best = next((d for d in dates if d.year), PubDate())
    fuller = next((d for d in dates if d.year == best.year and d.month), None)
    return fuller if fuller and not best.month else best
