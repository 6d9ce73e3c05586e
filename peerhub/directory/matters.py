"""Reads that link what matters to each group (peerhub.whatmatters) to directory listings: the
reader says who they are ("people like me"), we show the factors that matter most to that group,
and for each factor the facts of a listing that speak to it.

Which facts speak to which factor is decided here and nowhere else, by TOPICS below: factors
have no field saying what they are about (Factor.area is blank in surveys), so a factor's wording
is matched against each topic's keywords."""

import math
import re
from dataclasses import dataclass, field

from django.urls import reverse

from peerhub.directory import finder
from peerhub.whatmatters import selectors as whatmatters
from peerhub.whatmatters.models import Kind
from peerhub.whatmatters.presentation import fmt

GROUP_MAX_CHARS = 300  # Response.group's length: anything longer cannot be a group
EVIDENCE = "Related evidence"
SILENT_PREFIX = "Not stated"  # listing_facts' words for "the listing does not say"


@dataclass(frozen=True)
class Topic:
    """What some factors are about. `keywords` match at the start of a word in the factor's
    wording, ignoring case ("access" matches "accessible"); `facts` are listing fact labels
    (finder.listing_facts' labels, or the extras in listing_fact_map), in the order shown."""

    name: str
    keywords: tuple[str, ...]
    facts: tuple[str, ...]


# A factor can match several topics; each fact is then shown once, in the order met here.
# A factor that matches none (such as "Knowing my information is kept private") gets
# "This listing does not say", which is true: listings carry no such fact.
TOPICS = [
    Topic("quality", ("quality", "confiden", "accredit", "safe", "trust"),
          ("Last checked", "Who runs it", "Registered charity", "About the organisation")),
    Topic("who leads", ("trained", "supervis", "peer supporter", "lived experience", "facilitat"),
          ("Will I meet people with similar experiences?", "Who runs it")),
    Topic("similar experiences", ("similar experience", "shared experience", "people like me", "welcome",
                                  "background", "communit"),
          ("Will I meet people with similar experiences?", "Who it is for")),
    Topic("access", ("access", "get there", "easily", "online", "near", "travel", "location", "local"),
          ("Where", "Accessibility", "When it meets")),
    Topic("cost", ("free", "cost", "afford", "pay", "price"), ("Cost",)),
    Topic("joining", ("come and go", "join", "recommend", "referr", "health professional", "gp"),
          ("How to join", "When it meets")),
    Topic("language", ("language", "interpret"), ("Languages",)),
    Topic("evidence", ("evidence", "improve", "wellbeing", "works", "difference", "research"), (EVIDENCE,)),
]


def topics_for(label: str) -> list[Topic]:
    """The topics a factor's wording is about."""
    text = " ".join(label.split()).casefold()
    return [t for t in TOPICS if any(re.search(rf"\b{re.escape(word)}", text) for word in t.keywords)]


def fact_labels_for(label: str) -> list[str]:
    """The listing facts that speak to a factor, each once, in TOPICS order."""
    return list(dict.fromkeys(fact for topic in topics_for(label) for fact in topic.facts))


# The reader's group and its top factors ----------------------------------------------------------

@dataclass(frozen=True)
class Priority:
    """One factor that matters to the group, with its estimate and uncertainty in words."""

    place: int
    label: str
    amount: str
    certainty: str


@dataclass
class PeopleLikeMe:
    chosen: str  # the group as the URL gave it ("" for none)
    groups: list[str]  # the groups a reader can choose from
    top: whatmatters.TopFactors | None = None
    priorities: list[Priority] = field(default_factory=list)

    @property
    def unknown(self) -> bool:
        """A group was asked for, but there are no published results for it."""
        return bool(self.chosen) and self.top is None

    @property
    def results_url(self) -> str:
        return reverse("whatmatters:results", args=[self.top.exercise.pk]) if self.top else ""


def people_like_me(value: str | None) -> PeopleLikeMe:
    """The groups to choose from and, when one is chosen, what matters most to it. An unknown
    group is not an error: the page says there are no results for it."""
    chosen = " ".join((value or "").split())[:GROUP_MAX_CHARS]
    found = PeopleLikeMe(chosen, whatmatters.published_groups())
    if chosen.casefold() in {g.casefold() for g in found.groups}:  # skip the statistics for strangers
        found.top = whatmatters.top_factors_for_group(chosen)
    if found.top is not None:
        found.priorities = priorities(found.top)
    return found


# Numbers as the results pages write them: best-worst scores signed, positions to one decimal.
NUMBER_KINDS = {Kind.BEST_WORST: "score", Kind.RANKING: "decimal"}


def priorities(top: whatmatters.TopFactors) -> list[Priority]:
    kind = NUMBER_KINDS.get(top.question.kind, "decimal")
    facts = top.factors
    return [Priority(f.place, f.label, amount_words(f, top.statistic, kind),
                     certainty_words(f, facts[i + 1] if i + 1 < len(facts) else None))
            for i, f in enumerate(facts)]


def _has_interval(fact) -> bool:
    return math.isfinite(fact.ci_l) and math.isfinite(fact.ci_u)


def amount_words(fact, statistic: str, kind: str) -> str:
    value = f"{statistic}: {fmt(fact.value, kind)}"
    if not _has_interval(fact):
        return f"{value}. No likely range could be worked out."
    if fact.ci_l == fact.ci_u:  # every answer the same: a range of width 0 would read as a typo
        return f"{value}. Everyone in the group answered alike, so there is no range."
    return f"{value}, likely between {fmt(fact.ci_l, kind)} and {fmt(fact.ci_u, kind)}."


def certainty_words(fact, following) -> str:
    """Whether this factor clearly matters more than the next one: only when their 95%
    intervals do not overlap (a cautious test, which is what a reader should get)."""
    if following is None:
        return ""
    if not (_has_interval(fact) and _has_interval(following)):
        return "We cannot tell how sure this order is."
    apart = fact.ci_l > following.ci_u or fact.ci_u < following.ci_l
    if apart:
        return "It clearly matters more than the next one."
    return "It may matter about as much as the next one: their likely ranges overlap."


# A listing's facts, by factor -------------------------------------------------------------------

@dataclass(frozen=True)
class Fact:
    label: str
    text: str
    links: tuple[tuple[str, str], ...] = ()  # (title, address), for related evidence


@dataclass(frozen=True)
class FactorFacts:
    """A factor that matters to the group, and what this listing says about it (empty: nothing)."""

    priority: Priority
    facts: list[Fact]


def _charity_number(service) -> str:
    found = [i.identifier for i in service.organization.organization_identifiers.all()
             if i.identifier_scheme == "GB-CHC"]
    return found[0] if found else ""


def listing_fact_map(service, attributes, evidence) -> dict[str, Fact]:
    """Every fact a listing states, by label: the listing page's facts (leaving out those that
    say "Not stated"), the organisation's details and its related evidence (resources)."""
    facts = {label: Fact(label, text) for label, text in finder.listing_facts(service, attributes)
             if not text.startswith(SILENT_PREFIX)}
    if number := _charity_number(service):
        facts["Registered charity"] = Fact("Registered charity", f"Registered charity number {number}.")
    if service.organization.description:
        facts["About the organisation"] = Fact("About the organisation", service.organization.description)
    if evidence:
        links = tuple((r.title, r.get_absolute_url()) for r in evidence)
        facts[EVIDENCE] = Fact(EVIDENCE, "Resources in the evidence library about this kind of support:", links)
    return facts


def facts_by_factor(people: PeopleLikeMe, fact_map: dict[str, Fact]) -> list[FactorFacts]:
    return [FactorFacts(p, [fact_map[label] for label in fact_labels_for(p.label) if label in fact_map])
            for p in people.priorities]


def needs_evidence(people: PeopleLikeMe) -> bool:
    """Evidence costs queries, so it is looked up only when a top factor asks for it."""
    return any(EVIDENCE in fact_labels_for(p.label) for p in people.priorities)


def facts_for_cards(people: PeopleLikeMe, cards, attributes: dict) -> dict:
    """{service id: [FactorFacts]} for every listing on a results page, in a fixed number of
    queries (evidence for all listings at once)."""
    if people.top is None or not cards:
        return {}
    services = {card.service.id: card.service for card in cards}
    evidence = evidence_by_service(services, attributes) if needs_evidence(people) else {}
    return {sid: facts_by_factor(people, listing_fact_map(s, attributes.get(sid, []), evidence.get(sid, [])))
            for sid, s in services.items()}


def evidence_by_service(services: dict, attributes: dict, limit: int = 3) -> dict:
    """Related evidence (finder.related_evidence) for many listings: four queries in all."""
    from peerhub.library.models import Term
    from peerhub.library.selectors import published_resources_for_term_sets

    slugs = finder.LIBRARY_FORMAT_SLUGS
    format_ids = dict(Term.objects.filter(vocabulary__slug="format", slug__in=slugs.values())
                      .values_list("slug", "pk"))
    term_sets = {}
    for sid in services:
        mine = attributes.get(sid, [])
        ids = [a.taxonomy_term.library_term_id for a in mine if a.taxonomy_term.library_term_id]
        ids += [format_ids[slugs[a.taxonomy_term.code]] for a in mine
                if a.taxonomy_term.code in slugs and slugs[a.taxonomy_term.code] in format_ids]
        term_sets[sid] = ids
    return published_resources_for_term_sets(term_sets, limit=limit)
