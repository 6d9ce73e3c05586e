"""Results people can read: plain-English headlines with their uncertainty, accessible bar charts
(SVG geometry computed here so templates need no inline styles) and the data table beside each
chart. Numbers come from analysis; nothing is estimated here."""

import math
from dataclasses import dataclass, field
from itertools import combinations

from peerhub.whatmatters.analysis import ALL, TOP, Cell, QuestionResult, comparison, top_six
from peerhub.whatmatters.answers import MOSCOW
from peerhub.whatmatters.models import Kind

WIDTH, PLOT, ROW, BAR = 640, 500, 44, 16
VALUE_X = PLOT + 12
LABEL_CHARS = 70  # longer labels are shortened in the chart; the table beside it has them in full
EVERYONE = "Everyone"


@dataclass
class Bar:
    label: str
    value_text: str
    label_y: int
    bar_y: int
    x: float
    width: float
    ci: tuple[float, float] | None
    mid_y: int


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    bars: list[Bar]
    zero_x: float

    @property
    def height(self) -> int:
        return ROW * len(self.bars) + 8

    @property
    def width(self) -> int:
        return WIDTH


@dataclass
class DataTable:
    caption: str
    head: list[str]
    rows: list[list[str]]


@dataclass
class Panel:
    """A chart and the table of the same numbers, shown side by side."""

    chart: Chart
    table: DataTable


@dataclass
class Section:
    result: QuestionResult
    headlines: list[str] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    tables: list[DataTable] = field(default_factory=list)
    top_six: list[tuple[str, list[str]]] = field(default_factory=list)
    comparison: list[dict] = field(default_factory=list)

    @property
    def question(self):
        return self.result.question


# Numbers in words ----------------------------------------------------------------------------------

def group_name(group: str, capital: bool = True) -> str:
    name = EVERYONE if group == ALL else f"People who answered “{group}”"
    return name if capital else name[0].lower() + name[1:]


def fmt(value: float, kind: str) -> str:
    if value is None or not math.isfinite(value):
        return "not available"
    if kind == "percent":
        # A proportion's t interval can run past 0% or 100% with few people; a share cannot.
        return f"{min(max(value, 0.0), 1.0) * 100:.0f}%"
    if kind == "score":
        return f"{value:+.2f}".replace("-", "−")
    if kind == "count":
        return f"{value:.0f}"
    return f"{value:.1f}"


def with_interval(cell: Cell | None, kind: str) -> str:
    if cell is None:
        return "not shown"
    if not cell.has_interval or kind == "count":
        return fmt(cell.value, kind)
    return f"{fmt(cell.value, kind)} (95% CI {fmt(cell.ci_l, kind)} to {fmt(cell.ci_u, kind)})"


def number_kind(result: QuestionResult) -> str:
    return {Kind.SINGLE: "percent", Kind.MULTIPLE: "percent", Kind.MOSCOW: "percent", Kind.BEST_WORST: "score",
            Kind.DOTS: "count"}.get(result.question.kind, "decimal")


# Charts ---------------------------------------------------------------------------------------------

def _scale(lo: float, hi: float):
    return lambda value: (min(max(value, lo), hi) - lo) / (hi - lo) * PLOT


def bar_chart(slug: str, title: str, rows: list[tuple[str, Cell]], kind: str, bounds: tuple[float, float]) -> Chart:
    """Horizontal bars from the zero line (or the scale's start), with 95% intervals as lines."""
    lo, hi = bounds
    x_of = _scale(lo, hi)
    zero = x_of(min(max(0.0, lo), hi))
    bars = []
    for i, (label, cell) in enumerate(rows):
        end = x_of(cell.value) if math.isfinite(cell.value) else zero
        ci = (x_of(cell.ci_l), x_of(cell.ci_u)) if cell.has_interval else None
        short = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"
        top = i * ROW
        bars.append(Bar(short, fmt(cell.value, kind), top + 14, top + 20, min(zero, end), abs(end - zero), ci,
                        top + 20 + BAR // 2))
    description = "; ".join(f"{label}: {with_interval(cell, kind)}" for label, cell in rows)
    return Chart(slug, title, description, bars, zero)


def bounds_for(result: QuestionResult, kind: str, cells: list[Cell]) -> tuple[float, float]:
    if kind == "percent":
        return 0.0, 1.0
    if kind == "score":
        return -1.0, 1.0
    if result.question.kind == Kind.RATING:
        return float(min(0, result.question.scale_min)), float(result.question.scale_max)
    return 0.0, max([c.value for c in cells if math.isfinite(c.value)] + [1.0])


def _table(caption: str, label_head: str, result: QuestionResult, measures, kind: str, values=None) -> DataTable:
    values = values or (lambda m: m.values)
    head = [label_head, *[group_name(g) for g in result.group_names]]
    rows = [[m.label, *[with_interval(values(m).get(g), kind) for g in result.group_names]] for m in measures]
    return DataTable(caption, head, rows)


# Each kind ------------------------------------------------------------------------------------------

def build_section(result: QuestionResult) -> Section:
    section = Section(result)
    if result.suppressed or not result.measures:
        return section
    BUILDERS[result.question.kind](section, result)
    return section


def _everyone_panel(section: Section, result: QuestionResult, kind: str, label_head: str, values=None) -> None:
    measures = result.ranked(ALL) if values is None else _sorted_by(result, values)
    values = values or (lambda m: m.values)
    rows = [(m.label, values(m)[ALL]) for m in measures if ALL in values(m)]
    chart = bar_chart(f"{result.question.key}-all", f"{result.statistic}: everyone", rows, kind,
                      bounds_for(result, kind, [cell for _, cell in rows]))
    table = _table(f"{result.statistic}, everyone and by group", label_head, result, measures, kind, values)
    section.panels.append(Panel(chart, table))


def _sorted_by(result: QuestionResult, values) -> list:
    present = [m for m in result.measures if ALL in values(m) and math.isfinite(values(m)[ALL].value)]
    return sorted(present, key=lambda m: values(m)[ALL].value, reverse=True)


def _choices(section: Section, result: QuestionResult) -> None:
    _everyone_panel(section, result, "percent", "Option")
    top = result.ranked(ALL)[0]
    section.headlines.append(f"“{top.label}” was chosen most often: {with_interval(top.values[ALL], 'percent')} "
                             f"of the {result.n} people who answered.")
    section.headlines.extend(ratio_headlines(result, top.label))


def ratio_headlines(result: QuestionResult, option: str) -> list[str]:
    """The largest group difference in the engine's group_ratio rows, as 'N times as likely'."""
    names = sorted(name for name, _ in result.groups)
    pairs = [(a, b, row) for (a, b), row in zip(combinations(names, 2), result.comparisons, strict=False)
             if math.isfinite(row["estimate"]) and row["estimate"] > 0]
    if not pairs:
        return []
    a, b, row = max(pairs, key=lambda pair: abs(math.log(pair[2]["estimate"])))
    ratio, low, high = row["estimate"], max(row["ci_l"], 0.0), row["ci_u"]
    if ratio < 1 and low > 0:
        a, b, ratio, low, high = b, a, 1 / ratio, 1 / high, 1 / low
    sentence = (f"{group_name(a)} were {ratio:.1f} times as likely as {group_name(b, False)} to choose “{option}” "
                f"(95% CI {low:.1f} to {high:.1f}).")
    if math.isfinite(low) and low <= 1 <= high:
        sentence += " The interval includes 1, so the difference could be down to chance."
    return [sentence]


def _rating(section: Section, result: QuestionResult) -> None:
    measure = result.measures[0]
    rows = [(group_name(g), measure.values[g]) for g in result.group_names if g in measure.values]
    chart = bar_chart(f"{result.question.key}-all", result.statistic, rows, "decimal",
                      bounds_for(result, "decimal", []))
    table = DataTable(result.statistic, ["Who", "Average rating"],
                      [[who, with_interval(cell, "decimal")] for who, cell in rows])
    section.panels.append(Panel(chart, table))
    section.headlines.append(f"The average rating was {with_interval(measure.values[ALL], 'decimal')}, on a scale "
                             f"from {result.question.scale_min} to {result.question.scale_max}.")


def _ranked(section: Section, result: QuestionResult, kind: str) -> None:
    """Best-worst and ranking: everyone's chart, each group's top six, and the comparison."""
    for group in result.group_names[1:]:
        best = top_six(result, group)
        section.top_six.append((group_name(group), [m.label for m in best]))
        rows = [(m.label, m.values[group]) for m in best]
        chart = bar_chart(f"{result.question.key}-{len(section.panels)}", f"Top six: {group_name(group, False)}",
                          rows, kind, bounds_for(result, kind, [cell for _, cell in rows]))
        table = DataTable(f"Top six for {group_name(group, False)}", ["Place", "Factor", result.statistic],
                          [[str(p), label, with_interval(c, kind)] for p, (label, c) in enumerate(rows, start=1)])
        section.panels.append(Panel(chart, table))
    section.comparison = comparison(result)


def _best_worst(section: Section, result: QuestionResult) -> None:
    _everyone_panel(section, result, "score", "Factor")
    top = result.ranked(ALL)[0]
    section.headlines.append(
        f"Across everyone ({result.n} people), “{top.label}” mattered most: score "
        f"{with_interval(top.values[ALL], 'score')}, where 1 means always chosen as most important and −1 always "
        "least important.")
    section.headlines.extend(_group_tops(result, "score", "score"))
    section.tables.append(_counts_table(result))
    _ranked(section, result, "score")


def _counts_table(result: QuestionResult) -> DataTable:
    """The count scores for everyone: best, worst, best minus worst, standardised, sqrt ratio, ranks, share."""
    head = ["Factor", "Most", "Least", "Best − worst", "Standardised", "√(best/worst)", "Rank", "Weighted rank",
            "Maxdiff share"]
    rows = []
    for m in result.ranked(ALL):
        c = m.extra["counts"][ALL]
        share = m.extra["share"].get(ALL)
        rows.append([m.label, str(c["B"]), str(c["W"]), str(c["BW"]), fmt(c["stdBW"], "score"),
                     fmt(c["sqrtBW"], "decimal") if math.isfinite(c["sqrtBW"]) else "never least",
                     str(c["rank"]), str(c["w_rank"]), fmt(share.value, "percent") if share else "not available"])
    return DataTable("Best-worst counts for everyone", head, rows)


def _group_tops(result: QuestionResult, kind: str, measure_words: str) -> list[str]:
    sentences = []
    for group in result.group_names[1:]:
        ranked = result.ranked(group)
        if ranked:
            sentences.append(f"For {group_name(group, False)}, “{ranked[0].label}” mattered most "
                             f"({measure_words} {with_interval(ranked[0].values[group], kind)}).")
    return sentences


def _ranking(section: Section, result: QuestionResult) -> None:
    _everyone_panel(section, result, "percent", "Factor", values=lambda m: m.extra["top3"])
    section.tables.append(_table(result.statistic, "Factor", result, result.ranked(ALL), "decimal"))
    top = result.ranked(ALL)[0]
    section.headlines.append(
        f"“{top.label}” was placed highest on average: average position {with_interval(top.values[ALL], 'decimal')}. "
        f"{fmt(top.extra['top3'][ALL].value, 'percent')} of people put it in their top {TOP}.")
    section.headlines.extend(_group_tops(result, "decimal", "average position"))
    _ranked(section, result, "decimal")


def _dots(section: Section, result: QuestionResult) -> None:
    _everyone_panel(section, result, "count", "Card")
    section.tables.append(_table("Average votes per person", "Card", result, result.ranked(ALL), "decimal",
                                 lambda m: m.extra["mean"]))
    top = result.ranked(ALL)[0]
    total = sum(m.values[ALL].value for m in result.measures)
    section.headlines.append(f"“{top.label}” received the most votes: {top.values[ALL].value:.0f} of {total:.0f} "
                             f"votes from {result.n} people.")


def _moscow(section: Section, result: QuestionResult) -> None:
    _everyone_panel(section, result, "percent", "Card")
    for group in result.group_names:
        head = ["Card", *MOSCOW.values()]
        rows = [[m.label, *[with_interval(m.extra[c].get(group), "percent") for c in MOSCOW]]
                for m in result.ranked(ALL)]
        section.tables.append(DataTable(f"How cards were sorted: {group_name(group, False)}", head, rows))
    top = result.ranked(ALL)[0]
    section.headlines.append(f"“{top.label}” was most often sorted as a Must have: "
                             f"{with_interval(top.values[ALL], 'percent')}.")


BUILDERS = {
    Kind.SINGLE: _choices, Kind.MULTIPLE: _choices, Kind.RATING: _rating, Kind.RANKING: _ranking,
    Kind.BEST_WORST: _best_worst, Kind.DOTS: _dots, Kind.MOSCOW: _moscow,
}


def suppression_note(result: QuestionResult, threshold: int) -> str:
    if result.suppressed:
        return (f"Fewer than {threshold} people answered this question, so its results are not shown "
                "(so nobody can be identified).")
    if result.suppressed_groups:
        return (f"{result.suppressed_groups} group{'s' if result.suppressed_groups > 1 else ''} with fewer than "
                f"{threshold} people {'are' if result.suppressed_groups > 1 else 'is'} not shown separately; "
                "their answers are included in “Everyone”.")
    return ""
