"""What a valid answer to each kind of question looks like, in one place: web forms, the API and
CSV imports all check answers here, and CSV columns are written and read here.

Stored answer values (JSON):
  single    "option"                     multiple  ["option", ...]
  rating    4                            ranking   ["F3", "F1", ...] every factor, most important first
  best_worst [{"best": "F2", "worst": "F5"}, ...] one per set of the question's design
  dots      {"F1": 2, "F4": 3}           moscow    {"F1": "M", "F2": "W", ...} every card"""

from peerhub.whatmatters.models import Kind

MOSCOW = {"M": "Must have", "S": "Should have", "C": "Could have", "W": "Won't have"}
LIST_SEPARATOR = ";"


class AnswerError(ValueError):
    """An answer that cannot be accepted; the message says what is wrong in plain English."""


def clean_answer(question, value, codes: list[str]):
    """The answer in its stored form, or AnswerError. `codes` are the exercise's factor codes in order."""
    return CLEANERS[question.kind](question, value, codes)


def _single(question, value, codes):
    if not isinstance(value, str) or value not in question.options:
        raise AnswerError(f"Choose one of the options for “{question.prompt}”.")
    return value


def _multiple(question, value, codes):
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise AnswerError(f"Choose at least one option for “{question.prompt}”.")
    unknown = [v for v in value if v not in question.options]
    if unknown:
        raise AnswerError(f"“{unknown[0][:60]}” is not one of the options for “{question.prompt}”.")
    if len(set(value)) != len(value):
        raise AnswerError(f"Choose each option only once for “{question.prompt}”.")
    return [option for option in question.options if option in value]  # the options' own order


def _rating(question, value, codes):
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerError(f"Choose a number from {question.scale_min} to {question.scale_max}.")
    if not question.scale_min <= value <= question.scale_max:
        raise AnswerError(f"Choose a number from {question.scale_min} to {question.scale_max}, not {value}.")
    return value


def _ranking(question, value, codes):
    if not isinstance(value, list) or sorted(map(str, value)) != sorted(codes):
        raise AnswerError(f"Put every one of the {len(codes)} factors in order, each once.")
    return [str(code) for code in value]


def clean_choice(question, set_index: int, choice) -> dict:
    """One set's most and least important factors: two different factors shown in that set."""
    if not 0 <= set_index < len(question.design):
        raise AnswerError(f"There is no set {set_index + 1} in this question.")
    shown = question.design[set_index]
    if not isinstance(choice, dict) or choice.get("best") not in shown or choice.get("worst") not in shown:
        raise AnswerError(f"In set {set_index + 1}, choose a most important and a least important factor.")
    if choice["best"] == choice["worst"]:
        raise AnswerError(f"In set {set_index + 1}, the most and the least important must be different factors.")
    return {"best": choice["best"], "worst": choice["worst"]}


def _best_worst(question, value, codes):
    if not isinstance(value, list) or len(value) != len(question.design):
        raise AnswerError(f"Answer all {len(question.design)} sets of “{question.prompt}”.")
    return [clean_choice(question, index, choice) for index, choice in enumerate(value)]


def _dots(question, value, codes):
    if not isinstance(value, dict) or not set(value) <= set(codes):
        raise AnswerError("Put your votes only on the cards shown.")
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values()):
        raise AnswerError("Votes on a card must be a whole number, 0 or more.")
    used = sum(value.values())
    if not 1 <= used <= question.votes:
        raise AnswerError(f"Use between 1 and {question.votes} votes in all; you used {used}.")
    return {code: value[code] for code in codes if value.get(code)}


def _moscow(question, value, codes):
    if not isinstance(value, dict) or set(value) != set(codes):
        raise AnswerError(f"Sort every one of the {len(codes)} cards.")
    if not all(v in MOSCOW for v in value.values()):
        raise AnswerError("Sort each card as M (must have), S (should have), C (could have) or W (won't have).")
    return {code: value[code] for code in codes}


CLEANERS = {
    Kind.SINGLE: _single, Kind.MULTIPLE: _multiple, Kind.RATING: _rating, Kind.RANKING: _ranking,
    Kind.BEST_WORST: _best_worst, Kind.DOTS: _dots, Kind.MOSCOW: _moscow,
}


# CSV columns: one row per respondent. Raw-response exports and imports use the same layout.

def columns(question, codes: list[str]) -> list[str]:
    key = question.key
    if question.kind == Kind.BEST_WORST:
        return [f"{key}_s{n}_{side}" for n in range(1, len(question.design) + 1) for side in ("best", "worst")]
    if question.kind in (Kind.DOTS, Kind.MOSCOW):
        return [f"{key}_{code}" for code in codes]
    return [key]


def to_cells(question, value, codes: list[str]) -> dict[str, str]:
    """The stored answer as CSV cells (empty cells when there is no answer)."""
    if value is None:
        return dict.fromkeys(columns(question, codes), "")
    if question.kind == Kind.BEST_WORST:
        return {f"{question.key}_s{n}_{side}": choice[side]
                for n, choice in enumerate(value, start=1) for side in ("best", "worst")}
    if question.kind in (Kind.DOTS, Kind.MOSCOW):
        blank = 0 if question.kind == Kind.DOTS else ""
        return {f"{question.key}_{code}": str(value.get(code, blank)) for code in codes}
    if question.kind in (Kind.MULTIPLE, Kind.RANKING):
        return {question.key: LIST_SEPARATOR.join(value)}
    return {question.key: str(value)}


def from_cells(question, row: dict[str, str], codes: list[str]):
    """The answer read back from CSV cells, None when all its cells are empty; AnswerError if malformed."""
    cells = {name: (row.get(name) or "").strip() for name in columns(question, codes)}
    if not any(cells.values()):
        return None
    return clean_answer(question, READERS[question.kind](question, cells, codes), codes)


def _whole_number(text: str, where: str) -> int:
    try:
        return int(text or "0")
    except ValueError:
        raise AnswerError(f"{where}: “{text[:20]}” is not a whole number.") from None


def _read_plain(question, cells, codes):
    text = cells[question.key]
    if question.kind == Kind.RATING:
        return _whole_number(text, question.key)
    if question.kind in (Kind.MULTIPLE, Kind.RANKING):
        return [part.strip() for part in text.split(LIST_SEPARATOR)]
    return text


def _read_sets(question, cells, codes):
    return [{"best": cells[f"{question.key}_s{n}_best"], "worst": cells[f"{question.key}_s{n}_worst"]}
            for n in range(1, len(question.design) + 1)]


def _read_dots(question, cells, codes):
    return {code: _whole_number(cells[f"{question.key}_{code}"], f"{question.key}_{code}") for code in codes}


def _read_moscow(question, cells, codes):
    return {code: cells[f"{question.key}_{code}"].upper() for code in codes}


READERS = {
    Kind.SINGLE: _read_plain, Kind.MULTIPLE: _read_plain, Kind.RATING: _read_plain, Kind.RANKING: _read_plain,
    Kind.BEST_WORST: _read_sets, Kind.DOTS: _read_dots, Kind.MOSCOW: _read_moscow,
}
