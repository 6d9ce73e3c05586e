"""One harvester per bibliographic source. Each takes a PoliteClient and a Request and returns a
HarvestResult of NormalisedRecords, ready for the importer pipeline."""

from collections.abc import Callable
from dataclasses import dataclass

from peerhub.freshness.harvest import crossref, europepmc, openalex, pubmed
from peerhub.freshness.models import Source


@dataclass(frozen=True)
class Harvester:
    run: Callable
    min_interval: float  # seconds between requests, inside the source's published rate limit


HARVESTERS = {
    Source.EUROPEPMC: Harvester(europepmc.harvest, 0.1),
    Source.PUBMED: Harvester(pubmed.harvest, pubmed.MIN_INTERVAL_SECONDS),
    Source.CROSSREF: Harvester(crossref.harvest, 0.2),
    Source.OPENALEX: Harvester(openalex.harvest, 0.1),
}
