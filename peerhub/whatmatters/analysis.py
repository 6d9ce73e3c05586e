"""Results of an exercise, computed by the survey statistics engine (peerhub.whatmatters.stats):
design-based means and proportions by group through `run.estimate_table`, group comparisons
through its `group_ratio`, and best-worst scores and maxdiff shares through `stats.bws`. This
module only arranges the answers into the engine's tables and reads its rows back.

Low counts are suppressed: a group with fewer respondents to a question than the exercise's
threshold is not shown (its people still count in "everyone"), nor is a question answered by
fewer than the threshold."""

import math
from dataclasses import dataclass, field

import numpy as np

from peerhub.whatmatters.answers import MOSCOW
from peerhub.whatmatters.models import Kind
from peerhub.whatmatters.stats import bws, run
from peerhub.whatmatters.stats.designfile import DesignSpec, EstimateSpec
from peerhub.whatmatters.stats.errors import SurveyInputError
from peerhub.whatmatters.stats.table import Table

ALL = "all"
GROUP = "grp"  # the per-question group column (suppressed groups blanked)
NA = "NA"
TOP = 3  # rankings report the share placing each factor in their top three
TOP_SIX = bws.TOP


@dataclass(frozen=True)
class Cell:
    value: float
    ci_l: float = math.nan
    ci_u: float = math.nan
    se: float = math.nan

    @property
    def has_interval(self) -> bool:
        return math.isfinite(self.ci_l) and math.isfinite(self.ci_u)


@dataclass
class Measure:
    """One factor or option: its main statistic for everyone and each shown group, and extra
    statistics (share in the top three, MoSCoW categories, vote totals) keyed by name."""

    code: str
    label: str
    values: dict[str, Cell] = field(default_factory=dict)
    extra: dict[str, dict[str, Cell]] = field(default_factory=dict)


@dataclass
class QuestionResult:
    question: object
    n: int
    groups: list[tuple[str, int]]  # shown groups and their counts, in order
    suppressed_groups: int = 0
    measures: list[Measure] = field(default_factory=list)
    statistic: str = ""
    higher_is_better: bool = True
    comparisons: list[dict] = field(default_factory=list)  # engine group_ratio rows for the headline
    estimates: list[dict] = field(default_factory=list)  # long rows for the estimates CSV
    notes: list[str] = field(default_factory=list)
    suppressed: bool = False

    @property
    def group_names(self) -> list[str]:
        return [ALL, *[name for name, _ in self.groups]]

    def ranked(self, group: str) -> list[Measure]:
        """Measures with a value for the group, best first."""
        present = [m for m in self.measures if group in m.values and math.isfinite(m.values[group].value)]
        return sorted(present, key=lambda m: m.values[group].value, reverse=self.higher_is_better)


@dataclass
class Sample:
    """The complete responses of an exercise, as the engine's survey design columns, and each
    question's answers by respondent row."""

    response_ids: list[int]
    groups: list[str]
    design: dict[str, list[str]]
    strata: bool
    fpc: bool
    answers: dict[int, dict[int, object]]  # question id -> {row: value}
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.response_ids)


def build_sample(responses: list, answers: list) -> Sample:
    """responses: complete Response rows; answers: their Answer rows (any order)."""
    row_of = {response.pk: row for row, response in enumerate(responses)}
    by_question: dict[int, dict[int, object]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, {})[row_of[answer.response_id]] = answer.value
    strata = bool(responses) and all(r.strata for r in responses)
    fpc = bool(responses) and all(r.fpc is not None for r in responses)
    design = {
        "weight": [repr(float(r.weight)) for r in responses],
        # Respondents without a cluster (online answers) are each their own sampling unit.
        "cluster": [r.cluster or f"respondent-{r.pk}" for r in responses],
        "strata": [r.strata or NA for r in responses],
        "fpc": [repr(float(r.fpc)) if r.fpc is not None else NA for r in responses],
    }
    return Sample([r.pk for r in responses], [r.group for r in responses], design, strata, fpc, by_question)


# Suppression -----------------------------------------------------------------------------------

def shown_groups(sample: Sample, rows: list[int], threshold: int) -> tuple[list[tuple[str, int]], int]:
    """Groups with at least `threshold` of these rows, in order of first appearance, and how many
    groups were left out for having fewer."""
    counts: dict[str, int] = {}
    for row in rows:
        if sample.groups[row]:
            counts[sample.groups[row]] = counts.get(sample.groups[row], 0) + 1
    shown = [(name, n) for name, n in counts.items() if n >= threshold]
    return shown, len(counts) - len(shown)


def group_column(sample: Sample, shown: list[tuple[str, int]]) -> list[str]:
    names = {name for name, _ in shown}
    return [group if group in names else NA for group in sample.groups]


# Running the engine ------------------------------------------------------------------------------

def _spec(sample: Sample, estimates: list[EstimateSpec], full_design: bool) -> DesignSpec:
    return DesignSpec(
        name="responses", weights="weight", clusters="cluster" if full_design else None,
        strata="strata" if full_design and sample.strata else None,
        fpc="fpc" if full_design and sample.fpc else None, rake=None, estimates=tuple(estimates),
    )


def estimate(sample: Sample, columns: dict[str, list[str]], estimates: list[EstimateSpec]) -> tuple[list[dict], list]:
    """The engine's rows for these estimates over the sample's design. If the imported design
    cannot be used (say, a stratum with one cluster), fall back to weights only and say so."""
    data = Table({name: np.array(values, dtype=object) for name, values in {**sample.design, **columns}.items()},
                 source="the responses")
    try:
        return run.estimate_table(data, _spec(sample, estimates, True)).rows, []
    except SurveyInputError as error:
        if not (sample.strata or any(not c.startswith("respondent-") for c in sample.design["cluster"])):
            raise
        note = f"The survey design could not be used ({error}); these estimates use the weights only."
        return run.estimate_table(data, _spec(sample, estimates, False)).rows, [note]


def by_group(variable: str, label: str, grouped: bool, statistic: str = "mean") -> list[EstimateSpec]:
    """The estimate for everyone, and by the shown groups when there are any."""
    specs = [EstimateSpec(statistic=statistic, variable=variable, label=label)]
    if grouped:
        specs.append(EstimateSpec(statistic=statistic, variable=variable, domain=GROUP, label=label))
    return specs


def cells(rows: list[dict]) -> dict[tuple[str, str], Cell]:
    """(label, group) -> Cell for mean rows; (label, "group|category") for proportion rows."""
    found = {}
    for row in rows:
        group = ALL if row["domain"] == ALL else row["level"]
        if row["statistic"] == "prop":
            group, _, category = row["level"].rpartition(":") if row["domain"] != ALL else ("", "", row["level"])
            group = f"{group or ALL}|{category}"
        found[(row["variable"], group)] = Cell(row["estimate"], row["ci_l"], row["ci_u"], row["se"])
    return found


def long_rows(question, statistic: str, rows: list[dict]) -> list[dict]:
    """Engine rows in the estimates CSV's long layout."""
    out = []
    for row in rows:
        group = ALL if row["domain"] == ALL else row["level"]
        if row["statistic"] == "prop":
            group, category = (row["level"].rpartition(":")[0] or ALL, row["level"].rpartition(":")[2])
            statistic_name = f"{statistic}: {MOSCOW.get(category, category)}"
        else:
            statistic_name = statistic
        out.append({"question": question.key, "statistic": statistic_name, "item": row["variable"], "group": group,
                    "estimate": row["estimate"], "se": row["se"], "df": row["df"], "ci_l": row["ci_l"],
                    "ci_u": row["ci_u"]})
    return out


def text(value) -> str:
    return NA if value is None else repr(float(value))


# Each kind of question ---------------------------------------------------------------------------

def analyse_question(question, factors: list, sample: Sample, threshold: int) -> QuestionResult:
    answered = sorted(sample.answers.get(question.pk, {}))
    shown, hidden = shown_groups(sample, answered, threshold)
    if question.defines_groups:
        shown, hidden = [], 0  # a profile question's answers are the groups themselves
    result = QuestionResult(question, len(answered), shown, hidden)
    if len(answered) < threshold or not answered:
        result.suppressed = True
        return result
    try:
        ANALYSERS[question.kind](result, question, factors, sample)
    except SurveyInputError as error:
        result.measures = []
        result.notes.append(f"These results could not be estimated: {error}.")
    return result


def _answer_columns(sample: Sample, question, make) -> dict[str, list[str]]:
    """Columns built by make(value) -> {column: number or None} for every answered row; NA elsewhere."""
    answers = sample.answers.get(question.pk, {})
    columns: dict[str, list[str]] = {}
    for row in range(sample.n):
        values = make(answers[row]) if row in answers else {}
        for name in values:
            columns.setdefault(name, [NA] * sample.n)
        for name, value in values.items():
            columns[name][row] = text(value)
    return columns


def _run_means(result: QuestionResult, sample: Sample, columns, labels: dict[str, str], statistic: str):
    grouped = bool(result.groups)
    columns = {**columns, GROUP: group_column(sample, result.groups)}
    specs = [spec for name, label in labels.items() for spec in by_group(name, label, grouped)]
    rows, notes = estimate(sample, columns, specs)
    result.notes.extend(notes)
    result.estimates.extend(long_rows(result.question, statistic, rows))
    return cells(rows)


def _fill(measure: Measure, found: dict, label: str, groups: list[str], target: dict) -> None:
    for group in groups:
        if (label, group) in found:
            target[group] = found[(label, group)]


def _choices(result: QuestionResult, question, factors, sample: Sample) -> None:
    """Single and multiple choice: the share choosing each option, with a group comparison."""
    names = {f"o{i}": option for i, option in enumerate(question.options)}

    def make(value):
        chosen = value if isinstance(value, list) else [value]
        return {name: float(option in chosen) for name, option in names.items()}

    columns = _answer_columns(sample, question, make)
    found = _run_means(result, sample, columns, names, "share choosing")
    result.statistic = "Share choosing"
    for name, option in names.items():
        measure = Measure(name, option)
        _fill(measure, found, option, result.group_names, measure.values)
        result.measures.append(measure)
    _compare_groups(result, sample, columns)


def _compare_groups(result: QuestionResult, sample: Sample, columns) -> None:
    """The engine's group_ratio for the most chosen option, for a plain-English headline."""
    if len(result.groups) < 2 or not result.measures:
        return
    top = result.ranked(ALL)[0]
    spec = EstimateSpec(statistic="group_ratio", variable=top.code, domain=GROUP, label=top.label)
    with np.errstate(divide="ignore", invalid="ignore"):  # a group where nobody chose it has no ratio
        rows, _ = estimate(sample, {**columns, GROUP: group_column(sample, result.groups)}, [spec])
    result.comparisons = rows
    result.estimates.extend(long_rows(result.question, "ratio of shares choosing (group A/group B)", rows))


def _rating(result: QuestionResult, question, factors, sample: Sample) -> None:
    columns = _answer_columns(sample, question, lambda value: {"rating": float(value)})
    found = _run_means(result, sample, columns, {"rating": "Average rating"}, "mean rating")
    result.statistic = f"Average rating ({question.scale_min} to {question.scale_max})"
    measure = Measure("rating", "Average rating")
    _fill(measure, found, "Average rating", result.group_names, measure.values)
    result.measures.append(measure)


def _ranking(result: QuestionResult, question, factors, sample: Sample) -> None:
    """Mean rank (1 = most important) and the share placing each factor in their top three."""
    def make(value):
        position = {code: place for place, code in enumerate(value, start=1)}
        return {**{f"rank_{c}": float(position[c]) for c in position},
                **{f"top_{c}": float(position[c] <= TOP) for c in position}}

    columns = _answer_columns(sample, question, make)
    ranks = _run_means(result, sample, columns, {f"rank_{f.code}": f.label for f in factors}, "mean rank")
    tops = _run_means(result, sample, columns, {f"top_{f.code}": f.label for f in factors}, "share in top three")
    result.statistic, result.higher_is_better = "Average position (1 is most important)", False
    for factor in factors:
        measure = Measure(factor.code, factor.label, extra={"top3": {}})
        _fill(measure, ranks, factor.label, result.group_names, measure.values)
        _fill(measure, tops, factor.label, result.group_names, measure.extra["top3"])
        result.measures.append(measure)


def _dots(result: QuestionResult, question, factors, sample: Sample) -> None:
    """Vote totals (a count), and the average votes per person with its interval (the engine)."""
    columns = _answer_columns(sample, question, lambda value: {f"v_{f.code}": float(value.get(f.code, 0))
                                                               for f in factors})
    found = _run_means(result, sample, columns, {f"v_{f.code}": f.label for f in factors}, "mean votes per person")
    result.statistic = "Votes"
    group_of = group_column(sample, result.groups)
    for factor in factors:
        measure = Measure(factor.code, factor.label, extra={"mean": {}})
        _fill(measure, found, factor.label, result.group_names, measure.extra["mean"])
        measure.values = _vote_totals(columns[f"v_{factor.code}"], group_of, result.group_names)
        result.measures.append(measure)


def _vote_totals(column: list[str], group_of: list[str], groups: list[str]) -> dict[str, Cell]:
    totals = dict.fromkeys(groups, 0.0)
    for value, group in zip(column, group_of, strict=True):
        if value != NA:
            totals[ALL] += float(value)
            if group in totals and group != ALL:
                totals[group] += float(value)
    return {group: Cell(total) for group, total in totals.items()}


def _moscow(result: QuestionResult, question, factors, sample: Sample) -> None:
    """The share sorting each card into each MoSCoW category, for everyone and each group."""
    answers = sample.answers.get(question.pk, {})
    columns = {f"m_{f.code}": [answers[row][f.code] if row in answers else NA for row in range(sample.n)]
               for f in factors}
    columns[GROUP] = group_column(sample, result.groups)
    specs = [s for f in factors for s in by_group(f"m_{f.code}", f.label, bool(result.groups), "prop")]
    rows, notes = estimate(sample, columns, specs)
    result.notes.extend(notes)
    result.estimates.extend(long_rows(question, "share sorted as", rows))
    found = cells(rows)
    result.statistic = "Share sorting it as a Must have"
    for factor in factors:
        result.measures.append(_moscow_measure(factor, found, result.group_names))


def _moscow_measure(factor, found: dict, groups: list[str]) -> Measure:
    """Categories nobody chose are absent from the engine's rows: they are 0%."""
    measure = Measure(factor.code, factor.label, extra={category: {} for category in MOSCOW})
    for group in groups:
        if not any((factor.label, f"{group}|{c}") in found for c in MOSCOW):
            continue
        for category in MOSCOW:
            measure.extra[category][group] = found.get((factor.label, f"{group}|{category}"), Cell(0.0, 0.0, 0.0, 0.0))
        measure.values[group] = measure.extra["M"][group]
    return measure


def best_worst_study(question, factors: list, sample: Sample, shown_names: set[str]) -> bws.Study:
    """The engine's Study: items numbered in factor order, the question's sets, respondents who
    answered (groups outside the shown ones are marked so they can be left out), their choices."""
    number = {f.code: i for i, f in enumerate(factors, start=1)}
    answers = sample.answers.get(question.pk, {})
    rows = sorted(answers)
    respondent, asked, best, worst = [], [], [], []
    for index, row in enumerate(rows):
        for set_number, choice in enumerate(answers[row], start=1):
            respondent.append(index)
            asked.append(set_number)
            best.append(number[choice["best"]])
            worst.append(number[choice["worst"]])
    shown = {n: np.array([number[code] for code in codes]) for n, codes in enumerate(question.design, start=1)}
    groups = np.array([g if g in shown_names else "" for g in (sample.groups[row] for row in rows)], dtype=str)
    weights = np.array([float(sample.design["weight"][row]) for row in rows])
    chosen = bws.Answers(np.array(respondent), np.array(asked), np.array(best), np.array(worst))
    return bws.Study(np.arange(1, len(factors) + 1), {number[f.code]: f.label for f in factors}, shown,
                     groups, weights, chosen)


def _best_worst(result: QuestionResult, question, factors, sample: Sample) -> None:
    """Counts, standardised and square-root scores, ranks and top six (weighted and not), the
    weighted mean scores with intervals, and maxdiff shares, all from stats.bws."""
    shown_names = {name for name, _ in result.groups}
    study = best_worst_study(question, factors, sample, shown_names)
    keep = {ALL, *shown_names}
    with np.errstate(divide="ignore", invalid="ignore"):  # a factor never chosen least has sqrt(B/W) = Inf
        counts = [row for row in bws.count_scores(study) if row["group"] in keep]
    scores = [row for row in bws.weighted_scores(study) if row["group"] in keep]
    result.statistic = "Best-worst score (−1 to 1, weighted)"
    by_item = {f.label: Measure(f.code, f.label, extra={"counts": {}, "share": {}}) for f in factors}
    for row in scores:
        by_item[row["label"]].values[row["group"]] = Cell(row["mean_stdBW"], row["ci_l"] / _times(study, row),
                                                          row["ci_u"] / _times(study, row), row["se_stdBW"])
    for row in counts:
        by_item[study.labels[int(row["item"])]].extra["counts"][row["group"]] = row
    result.measures = list(by_item.values())
    result.estimates.extend(_bws_long(question, study, counts, scores))
    _shares(result, question, study, keep, by_item)


def _times(study: bws.Study, row: dict) -> int:
    return int(bws.times_shown(study)[int(row["item"]) - 1])


COUNT_STATISTICS = ("B", "W", "BW", "stdBW", "sqrtBW", "std_sqrtBW", "rank", "top6",
                    "wB", "wW", "wBW", "w_stdBW", "w_rank", "w_top6")


def _bws_long(question, study, counts: list[dict], scores: list[dict]) -> list[dict]:
    rows = [{"question": question.key, "statistic": f"best-worst {name}", "item": study.labels[int(row["item"])],
             "group": row["group"], "estimate": float(row[name]), "se": math.nan, "df": math.nan,
             "ci_l": math.nan, "ci_u": math.nan} for row in counts for name in COUNT_STATISTICS]
    rows += [{"question": question.key, "statistic": "best-worst weighted mean score", "item": row["label"],
              "group": row["group"], "estimate": row["mean_BW"], "se": row["se_BW"], "df": row["df"],
              "ci_l": row["ci_l"], "ci_u": row["ci_u"]} for row in scores]
    return rows


def _shares(result: QuestionResult, question, study, keep: set[str], by_item: dict) -> None:
    """Maxdiff shares; with few or lopsided answers the model may not converge, which is said."""
    try:
        shares = [row for row in bws.preference_shares(study) if row["group"] in keep]
    except SurveyInputError as error:
        result.notes.append(f"Preference shares (the maxdiff model) could not be estimated: {error}.")
        return
    for row in shares:
        if row["weighting"] == "weighted":
            by_item[row["label"]].extra["share"][row["group"]] = Cell(row["share"])
    result.estimates.extend(
        {"question": question.key, "statistic": f"maxdiff share ({row['weighting']})", "item": row["label"],
         "group": row["group"], "estimate": row["share"], "se": math.nan, "df": math.nan, "ci_l": math.nan,
         "ci_u": math.nan} for row in shares
    )


ANALYSERS = {
    Kind.SINGLE: _choices, Kind.MULTIPLE: _choices, Kind.RATING: _rating, Kind.RANKING: _ranking,
    Kind.BEST_WORST: _best_worst, Kind.DOTS: _dots, Kind.MOSCOW: _moscow,
}


# Comparing groups' top six --------------------------------------------------------------------

def clearly_different(a: Cell, b: Cell) -> bool:
    """A difference larger than its uncertainty: more than the two intervals' half-widths
    combined in quadrature (a 95% test for two independent estimates)."""
    if not (a.has_interval and b.has_interval):
        return False
    half_a, half_b = (a.ci_u - a.ci_l) / 2, (b.ci_u - b.ci_l) / 2
    return abs(a.value - b.value) > math.hypot(half_a, half_b)


def top_six(result: QuestionResult, group: str) -> list[Measure]:
    return result.ranked(group)[:TOP_SIX]


def comparison(result: QuestionResult) -> list[dict]:
    """For each factor in any shown group's top six: each group's place and score, and the
    groups it is clearly more (or less) important to than to others."""
    groups = [name for name, _ in result.groups]
    places = {g: {m.code: place for place, m in enumerate(result.ranked(g), start=1)} for g in groups}
    listed = [m for m in result.ranked(ALL) if any(places[g].get(m.code, 99) <= TOP_SIX for g in groups)]
    return [{"measure": m, "cells": [_comparison_cell(result, m, g, groups, places) for g in groups]} for m in listed]


def _comparison_cell(result, measure: Measure, group: str, groups: list[str], places) -> dict:
    mine = measure.values.get(group)
    better_than = [
        other for other in groups
        if other != group and mine is not None and other in measure.values
        and clearly_different(mine, measure.values[other])
        and (mine.value > measure.values[other].value) == result.higher_is_better
    ]
    place = places[group].get(measure.code)
    return {"group": group, "place": place, "cell": mine, "in_top_six": place is not None and place <= TOP_SIX,
            "more_important_than": better_than}
