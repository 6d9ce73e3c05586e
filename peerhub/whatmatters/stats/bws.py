"""Best-worst scaling (object case): count scores per group, survey-weighted scores with standard
errors, maxdiff preference shares, and the files `peerhub survey bws` writes.

For item j in a group of n respondents, each shown item j r_j times (r from the block design):

    B_j, W_j     times chosen best, worst          BW_j = B_j - W_j
    stdBW_j      BW_j / (n r_j)                     sqrtBW_j = sqrt(B_j / W_j)
    std_sqrtBW_j sqrtBW_j / max_k sqrtBW_k          rank: by BW descending, ties take the lower rank
    top6         rank <= 6

and the weighted versions with respondent weights v_i: wB_j = sum_i v_i B_ij, wW_j, wBW_j = wB_j - wW_j,
w_stdBW_j = wBW_j / (sum_i v_i * r_j), w_rank, w_top6. The weighted mean of the individual scores
BW_ij is wBW_j / sum v; its standard error treats respondents as a weights-only design
(R: svymean(~score, svydesign(id=~1, weights=~weight)), by group as svyby)."""

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

from . import maxdiff
from . import table as tables
from .design import degf, weights_only
from .errors import SurveyInputError
from .estimators import Domain, mean, whole
from .table import Table

FILES = ("bws_items.csv", "bws_design.csv", "bws_respondents.csv", "bws_responses.csv")
TOP = 6
ALL = "all"
COUNT_COLUMNS = (
    "group", "item", "n_resp", "r", "B", "W", "BW", "stdBW", "sqrtBW", "std_sqrtBW", "rank", "top6",
    "sum_w", "wB", "wW", "wBW", "w_stdBW", "w_rank", "w_top6",
)
SCORE_COLUMNS = ("group", "item", "label", "mean_BW", "se_BW", "mean_stdBW", "se_stdBW", "df", "ci_l", "ci_u")
SHARE_COLUMNS = ("group", "item", "label", "weighting", "coef", "share", "loglik", "null_loglik")


@dataclass(frozen=True)
class Answers:
    """One row per answered question: the respondent's row number, the question, best and worst item."""

    respondent: np.ndarray
    question: np.ndarray
    best: np.ndarray
    worst: np.ndarray


@dataclass(frozen=True)
class Study:
    """Items and labels, the items shown in each question, respondents (group, weight) and answers."""

    items: np.ndarray
    labels: dict[int, str]
    shown: dict[int, np.ndarray]
    groups: np.ndarray
    weights: np.ndarray
    answers: Answers

    @property
    def group_names(self) -> list[str]:
        """'all' then the groups in their order of first appearance among the respondents."""
        return [ALL, *dict.fromkeys(self.groups)]

    def members(self, group: str) -> np.ndarray:
        return np.ones(len(self.groups), dtype=bool) if group == ALL else self.groups == group

    def tally(self, chosen: np.ndarray) -> np.ndarray:
        """Respondents x items: how often each respondent chose each item (as best, or as worst)."""
        counts = np.zeros((len(self.groups), len(self.items)))
        np.add.at(counts, (self.answers.respondent, np.searchsorted(self.items, chosen)), 1)
        return counts


def read_study(folder: Path) -> Study:
    """Read the four BWS files from a folder and check they agree with each other."""
    items, design, people, responses = (_read(Path(folder) / name) for name in FILES)
    item_ids = _ids(items, "item")
    if len(set(item_ids)) != len(item_ids):
        raise SurveyInputError("bws_items.csv lists an item more than once")
    order = np.argsort(item_ids)
    shown = _shown(design, set(item_ids))
    answers = _answers(responses, shown, list(tables.text(people, "resp_id")))
    labels = dict(zip(item_ids, tables.text(items, "label"), strict=True))
    groups = np.array(tables.text(people, "group"), dtype=str)
    return Study(np.array(item_ids)[order], labels, shown, groups, _weights(people), answers)


def _read(path: Path) -> Table:
    if not path.exists():
        raise SurveyInputError(f"best-worst scaling file {path} is missing")
    return tables.read_csv(path)


def _ids(data: Table, column: str) -> list[int]:
    values = tables.numeric(data, column)
    if np.isnan(values).any() or not np.all(values == np.round(values)):
        raise SurveyInputError(f"{data.source}: column '{column}' must hold whole numbers")
    return [int(value) for value in values]


def _weights(people: Table) -> np.ndarray:
    weights = tables.numeric(people, "weight")
    if np.isnan(weights).any() or (weights <= 0).any():
        raise SurveyInputError("bws_respondents.csv: every weight must be a positive number")
    return weights


def _shown(design: Table, items: set[int]) -> dict[int, np.ndarray]:
    """Items shown in each question of the block design; every question shows the same number."""
    questions, shown_items = _ids(design, "question"), _ids(design, "item")
    unknown = sorted(set(shown_items) - items)
    if unknown:
        raise SurveyInputError(f"bws_design.csv shows item(s) {unknown} that bws_items.csv does not list")
    shown: dict[int, list[int]] = {}
    for question, item in zip(questions, shown_items, strict=True):
        shown.setdefault(question, []).append(item)
    if len({len(members) for members in shown.values()}) != 1:
        raise SurveyInputError("bws_design.csv: every question must show the same number of items")
    return {question: np.array(members) for question, members in shown.items()}


def _answers(responses: Table, shown, respondent_ids: list[str]) -> Answers:
    """The answers, checking each respondent is known and each choice was on show."""
    row_of = {rid: i for i, rid in enumerate(respondent_ids)}
    rids = tables.text(responses, "resp_id")
    questions, best, worst = (_ids(responses, column) for column in ("question", "best", "worst"))
    answered = zip(rids, questions, best, worst, strict=True)
    for line, (rid, question, chose_best, chose_worst) in enumerate(answered, start=2):
        _check_answer(line, rid in row_of, shown.get(question), chose_best, chose_worst)
    respondent = np.array([row_of[rid] for rid in rids])
    return Answers(respondent, np.array(questions), np.array(best), np.array(worst))


def _check_answer(line: int, known: bool, on_show, chose_best: int, chose_worst: int) -> None:
    where = f"bws_responses.csv line {line}"
    if not known:
        raise SurveyInputError(f"{where}: the respondent is not in bws_respondents.csv")
    if on_show is None:
        raise SurveyInputError(f"{where}: the question is not in bws_design.csv")
    if chose_best not in on_show or chose_worst not in on_show or chose_best == chose_worst:
        raise SurveyInputError(f"{where}: best and worst must be two different items shown in that question")


def times_shown(study: Study) -> np.ndarray:
    """r_j: how many questions show item j, i.e. times each respondent sees it."""
    return np.array([sum(int(item in members) for members in study.shown.values()) for item in study.items])


def count_scores(study: Study) -> list[dict]:
    """The count table (see the module docstring), one row per group x item."""
    best, worst = study.tally(study.answers.best), study.tally(study.answers.worst)
    return [row for group in study.group_names for row in _group_counts(study, group, best, worst)]


def _group_counts(study: Study, group: str, best: np.ndarray, worst: np.ndarray) -> list[dict]:
    members, r = study.members(group), times_shown(study)
    weights = study.weights[members]
    columns = {
        "item": study.items,
        **_counted(best[members].sum(axis=0), worst[members].sum(axis=0), int(members.sum()), r),
        **_weighted(weights @ best[members], weights @ worst[members], float(weights.sum()), r),
    }
    return [{"group": group, **{name: values[j] for name, values in columns.items()}} for j in range(len(r))]


def _counted(b: np.ndarray, w: np.ndarray, n_resp: int, r: np.ndarray) -> dict[str, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):  # an item never chosen worst has sqrt(B/W) = Inf, as in R
        sqrt_bw = np.sqrt(b / w)
    rank = _min_rank(b - w)
    return {"n_resp": np.full(len(r), n_resp), "r": r, "B": b.astype(int), "W": w.astype(int),
            "BW": (b - w).astype(int), "stdBW": (b - w) / (n_resp * r), "sqrtBW": sqrt_bw,
            "std_sqrtBW": sqrt_bw / np.max(sqrt_bw), "rank": rank, "top6": rank <= TOP}


def _weighted(wb: np.ndarray, ww: np.ndarray, sum_w: float, r: np.ndarray) -> dict[str, np.ndarray]:
    rank = _min_rank(wb - ww)
    return {"sum_w": np.full(len(r), sum_w), "wB": wb, "wW": ww, "wBW": wb - ww,
            "w_stdBW": (wb - ww) / (sum_w * r), "w_rank": rank, "w_top6": rank <= TOP}


def _min_rank(scores: np.ndarray) -> np.ndarray:
    """Rank 1 for the highest score; tied scores share the lower rank (R: rank(-x, ties.method="min"))."""
    return rankdata(-scores, method="min").astype(int)


def weighted_scores(study: Study) -> list[dict]:
    """Survey-weighted mean individual BW score per group x item, with its standard error."""
    design = weights_only("bws", study.weights)
    individual = study.tally(study.answers.best) - study.tally(study.answers.worst)
    r = times_shown(study)
    rows = []
    for group in study.group_names:
        members = study.members(group)
        domain = whole(design) if group == ALL else Domain(group, members, degf(design, members))
        for j, item in enumerate(study.items):
            estimate = mean(design, individual[:, j], domain, f"item {item}")
            rows.append(_score_row(group, int(item), study.labels[int(item)], estimate, r[j]))
    return rows


def _score_row(group: str, item: int, label: str, estimate, shown: int) -> dict:
    """Scores in count units (-r to r) and standardised by r (-1 to 1), as the count table's stdBW."""
    return {"group": group, "item": item, "label": label, "mean_BW": estimate.estimate, "se_BW": estimate.se,
            "mean_stdBW": estimate.estimate / shown, "se_stdBW": estimate.se / shown, "df": estimate.df,
            "ci_l": estimate.ci_l, "ci_u": estimate.ci_u}


def preference_shares(study: Study) -> list[dict]:
    """Maxdiff conditional logit per group, unweighted (as R's clogit) and survey-weighted."""
    rows = []
    for group in study.group_names:
        for weighting in ("unweighted", "weighted"):
            fit = _fit_group(study, group, weighting == "weighted")
            rows.extend(
                {"group": group, "item": int(item), "label": study.labels[int(item)], "weighting": weighting,
                 "coef": fit.coef[j], "share": fit.shares[j], "loglik": fit.loglik, "null_loglik": fit.null_loglik}
                for j, item in enumerate(study.items)
            )
    return rows


def _fit_group(study: Study, group: str, weighted: bool) -> maxdiff.MaxDiffFit:
    answers = study.answers
    keep = study.members(group)[answers.respondent]
    shown = np.array([np.searchsorted(study.items, study.shown[q]) for q in answers.question[keep]])
    weights = study.weights[answers.respondent[keep]] if weighted else np.ones(int(keep.sum()))
    best, worst = np.searchsorted(study.items, answers.best[keep]), np.searchsorted(study.items, answers.worst[keep])
    return maxdiff.fit(shown, best, worst, weights, len(study.items))


def format_cell(value) -> str:
    """R's write.csv spelling: TRUE/FALSE, whole numbers bare, doubles in round-trip form, NA, Inf."""
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | np.integer | str):
        return str(value)
    value = float(value)
    if np.isnan(value):
        return "NA"
    return ("Inf" if value > 0 else "-Inf") if np.isinf(value) else repr(value)


def write_table(rows: list[dict], columns: tuple[str, ...], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([format_cell(row[column]) for column in columns] for row in rows)
    return path


def write_all(folder: Path, out: Path) -> list[Path]:
    """Read the study in `folder` and write bws_counts.csv, bws_scores.csv and bws_shares.csv to `out`."""
    study = read_study(folder)
    out.mkdir(parents=True, exist_ok=True)
    return [
        write_table(count_scores(study), COUNT_COLUMNS, out / "bws_counts.csv"),
        write_table(weighted_scores(study), SCORE_COLUMNS, out / "bws_scores.csv"),
        write_table(preference_shares(study), SHARE_COLUMNS, out / "bws_shares.csv"),
    ]
