"""Demo directory: invented peer support listings spread across Great Britain, each saying
plainly that it is an example, plus the Open Referral UK example records. Safe to run again:
listings keep fixed ids, so a second run adds only what is missing."""

import json
import uuid
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from peerhub.directory.hub_taxonomy import NAMESPACE, install_hub_taxonomy
from peerhub.directory.listing import listing_to_document
from peerhub.directory.models import PostcodeCentroid, Service, Taxonomy, TaxonomyTerm
from peerhub.directory.services import ensure_postcode_centroids, save_service_document, upsert_taxonomy
from peerhub.library.models import Term

EXAMPLE_NOTE = "Example listing: invented to show how the directory works. This group does not exist."
# (town, county, postcode, group name, condition, community or "", extra terms, day, opens, closes, min age)
EXAMPLES = [
    ("London", "Greater London", "SW1A 1AA", "Westminster Anxiety Peer Circle", "anxiety", "", ["peer-led", "group"],
     "TU", "18:30", "20:00", 18),
    ("London", "Greater London", "E1 6AN", "Spitalfields New Parents Peer Group", "perinatal-mental-health",
     "carers-and-families", ["peer-led", "group"], "WE", "10:00", "11:30", 16),
    ("London", "Greater London", "SE1 7PB", "Southbank Long COVID Walk and Talk", "long-covid", "",
     ["peer-led", "group"], "SA", "10:00", "12:00", 18),
    ("London", "Greater London", "N1 9AG", "Islington LGBTQ+ Wellbeing Peers", "depression", "lgbtq-people",
     ["professionally-facilitated", "group"], "TH", "19:00", "20:30", 18),
    ("Manchester", "Greater Manchester", "M1 1AD", "Manchester Diabetes Buddies", "diabetes", "",
     ["peer-led", "one-to-one"], "MO", "17:00", "19:00", 16),
    ("Leeds", "West Yorkshire", "LS1 4AP", "Leeds Hearing Voices Group", "psychosis", "",
     ["peer-led", "group"], "WE", "14:00", "16:00", 18),
    ("Birmingham", "West Midlands", "B1 1BB", "Birmingham Veterans Peer Mentors", "post-traumatic-stress-ptsd",
     "veterans-and-armed-forces", ["peer-led", "one-to-one"], "FR", "10:00", "15:00", 18),
    ("Bristol", "Bristol", "BS1 4DJ", "Bristol Chronic Pain Cafe", "chronic-pain", "", ["peer-led", "group"],
     "TH", "13:00", "15:00", 18),
    ("Newcastle upon Tyne", "Tyne and Wear", "NE1 1EW", "Tyneside Recovery Peers", "alcohol", "",
     ["peer-led", "group"], "MO", "18:00", "19:30", 18),
    ("Cardiff", "South Glamorgan", "CF10 1EP", "Cardiff Young Carers Meet-up", "", "carers-and-families",
     ["professionally-facilitated", "group"], "SA", "11:00", "13:00", 11),
    ("Edinburgh", "City of Edinburgh", "EH1 1YZ", "Edinburgh Stroke Survivors Club", "stroke", "older-people",
     ["peer-led", "group"], "TU", "14:00", "15:30", 18),
    ("Glasgow", "Glasgow City", "G1 1XQ", "Glasgow Eating Disorder Peer Support", "eating-disorders", "",
     ["professionally-facilitated", "group"], "WE", "18:00", "19:30", 16),
    ("Aberdeen", "Aberdeen City", "AB10 1AF", "Aberdeen Heart Health Peers", "heart-disease", "",
     ["peer-led", "group"], "TH", "10:30", "12:00", 18),
    ("Norwich", "Norfolk", "NR1 3QU", "Norwich Dementia Carers Circle", "dementia", "carers-and-families",
     ["peer-led", "group"], "MO", "10:00", "12:00", 18),
    ("Plymouth", "Devon", "PL1 1EA", "Plymouth Men's Talking Shed", "depression", "men", ["peer-led", "group"],
     "FR", "18:00", "20:00", 18),
    ("Cambridge", "Cambridgeshire", "CB2 1TN", "Cambridge Autistic Adults Social", "autism", "",
     ["peer-led", "group"], "SU", "14:00", "16:00", 18),
    ("Liverpool", "Merseyside", "L1 8JQ", "Liverpool Cancer Peer Buddies", "cancer", "", ["peer-led", "one-to-one"],
     "TU", "10:00", "16:00", 18),
    ("Swansea", "West Glamorgan", "SA1 1NW", "Swansea Young People's Anxiety Group", "anxiety",
     "children-and-young-people", ["professionally-facilitated", "group"], "WE", "16:00", "17:30", 13),
    ("Inverness", "Highland", "IV1 1EU", "Highland MS Peer Network", "multiple-sclerosis", "",
     ["peer-led", "group"], "TH", "11:00", "13:00", 18),
    ("York", "North Yorkshire", "YO1 7HH", "York Bereavement Peer Group", "end-of-life-and-bereavement", "",
     ["peer-led", "group"], "MO", "19:00", "20:30", 18),
]
# Online and phone: no venue, listed separately from the nearby results.
REMOTE_EXAMPLES = [
    ("Peer Line: evening phone support for low mood", "depression", ["peer-led", "one-to-one", "phone"], "MO", 18),
    ("Long COVID Online Peer Group", "long-covid", ["peer-led", "group", "online"], "WE", 18),
    ("Online Anxiety Peer Forum", "anxiety", ["professionally-facilitated", "group", "online"], "TH", 16),
]
TERM_GROUPS = {"peer-led": "leadership", "professionally-facilitated": "leadership", "group": "size",
               "one-to-one": "size", "online": "delivery", "phone": "delivery", "in-person": "delivery"}


def _codes(condition: str, community: str, extra: list[str], delivery: str, referral: str) -> list[str]:
    codes = [f"{TERM_GROUPS[t]}:{t}" for t in extra] + [f"referral:{referral}", "join-speed:join-now"]
    codes += [f"delivery:{delivery}"] if delivery else []
    codes += [f"condition:{condition}"] if condition else []
    codes += [f"community:{community}"] if community else []
    return codes


def _centroid(postcode: str):
    sector = postcode[:-2].strip()
    row = PostcodeCentroid.objects.filter(code__in=[sector, postcode.split()[0]]).order_by("-kind").first()
    return (row.latitude, row.longitude) if row else (None, None)


def _venue_listing(index: int, row) -> dict:
    town, county, postcode, name, condition, community, extra, day, opens, closes, min_age = row
    latitude, longitude = _centroid(postcode)
    return {
        "organisation_name": f"{name} (example organisation)", "organisation_description": EXAMPLE_NOTE,
        "name": name, "description": f"{EXAMPLE_NOTE} A friendly group where people share what has helped them.",
        "email": f"hello{index}@example.org", "phone": f"01632 960{index:03d}", "online_only": False,
        "venue_name": f"{town} Community Centre (example)", "address_1": f"{index + 1} Example Street",
        "city": town, "county": county, "postcode": postcode, "latitude": latitude, "longitude": longitude,
        "accessibility": "Step-free entrance and an accessible toilet. Hearing loop in the main room.",
        "minimum_age": min_age, "maximum_age": None, "days": [day], "opens_at": opens, "closes_at": closes,
        "schedule_description": "Every week", "cost": "Free", "languages": "English",
        "terms": _codes(condition, community, extra, "in-person", "self-referral" if index % 4 else
                        "professional-referral"),
    }


def _remote_listing(index: int, row) -> dict:
    name, condition, extra, day, min_age = row
    return {
        "organisation_name": "Peer Support Online (example organisation)", "organisation_description": EXAMPLE_NOTE,
        "name": name, "description": f"{EXAMPLE_NOTE} Join from home.", "email": f"online{index}@example.org",
        "phone": f"0808 157 0{index:03d}", "online_only": True, "minimum_age": min_age, "maximum_age": None,
        "days": [day], "opens_at": "19:00", "closes_at": "21:00", "schedule_description": "Every week",
        "cost": "Free", "languages": "English", "terms": _codes(condition, "", extra, "", "self-referral"),
    }


def _save_example(key: str, listing: dict, assured) -> bool:
    service_id = uuid.uuid5(NAMESPACE, f"demo:{key}")
    if Service.objects.filter(id=service_id).exists():
        return False
    doc = listing_to_document(listing, {"id": str(service_id), "organization": {
        "id": str(uuid.uuid5(NAMESPACE, f"demo-org:{listing['organisation_name']}"))}}, assured=assured)
    save_service_document(doc, source="demo example", is_example=True)
    return True


def load_examples() -> int:
    today, added = timezone.localdate(), 0
    for index, row in enumerate(EXAMPLES):
        # Every fifth example was last checked over a year ago, to show how stale listings look.
        assured = today - timedelta(days=400 if index % 5 == 4 else 20 + index)
        added += _save_example(row[3], _venue_listing(index, row), assured)
    for index, row in enumerate(REMOTE_EXAMPLES):
        added += _save_example(row[0], _remote_listing(index, row), today - timedelta(days=10))
    return added


def load_oruk_examples(shared_dir) -> int:
    """The ORUK profile's own example service and taxonomy, as published (marked as examples)."""
    folder = Path(shared_dir) / "standards" / "openreferral" / "uk-profile-3.0" / "examples"
    if not (folder / "service_full.json").exists():
        return 0
    upsert_taxonomy(json.loads((folder / "taxonomy.json").read_text()))
    doc = json.loads((folder / "service_full.json").read_text())
    if Service.objects.filter(id=doc["id"]).exists():
        return 0
    save_service_document(doc, source="ORUK 3.0 example record", is_example=True)
    return 1


def load_directory_demo(shared_dir) -> str:
    postcodes = ensure_postcode_centroids(shared_dir) if (Path(shared_dir) / "data").exists() else 0
    terms = install_hub_taxonomy(Taxonomy, TaxonomyTerm, Term)
    added = load_examples() + load_oruk_examples(shared_dir)
    total = Service.objects.count()
    return f"{added} listings added ({total} in all), {terms} hub taxonomy terms, {postcodes} postcode areas"
