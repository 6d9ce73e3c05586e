"""Demo stories: a handful of clearly fictitious examples across several kinds of storyteller
and purpose. Each is marked as an example, anonymous, and says in its text that it is invented;
none retells a real person's story."""

from django.db import transaction

from peerhub.library.models import Term
from peerhub.stories.models import Story, TopographyTerm
from peerhub.stories.services import publish_story, submit_story

EXAMPLE_NOTE = ("\n\n(This is an invented example, written to show how the hub presents a story. "
                "It is not a real person's story.)")
EXAMPLE_EMAIL = "stories-demo@example.org"

# (title, story, medium, link, transcript, {dimension: [term slugs]}, [(vocabulary, slug)])
EXAMPLES = [
    ("Example: the group that got me out of the house", "After my diagnosis I stopped going out. A neighbour told me "
     "about a walking group for people with long-term conditions. Nobody asked me to explain myself; we just walked. "
     "Six months on, I help lead it.", "written", "", "",
     {"storyteller": ["person-with-lived-experience"], "purpose": ["offer-hope-and-connection"],
      "audience": ["people-with-the-same-experience"], "outcome": ["feeling-less-alone"],
      "actions": ["reach-out-for-peer-support"]}, [("condition", "long-covid")]),
    ("Example: what caring taught me about asking for help", "Looking after my dad, I thought I had to manage alone. "
     "A carers' peer group showed me that other people had found ways through. This example is told as a short "
     "video, with a transcript.", "video", "https://www.example.org/stories/caring-video",
     "Transcript: I am talking about the first time I went to the carers' group and what changed after.",
     {"storyteller": ["carer-or-family-member"], "purpose": ["raise-awareness", "offer-hope-and-connection"],
      "audience": ["the-public", "people-with-the-same-experience"], "outcome": ["better-understanding"],
      "actions": ["share-your-own-story"]}, [("community", "carers-and-families"), ("condition", "dementia")]),
    ("Example: why our practice now refers people to peer support", "As a practice nurse I saw people leave "
     "appointments with leaflets they never read. When we linked up with a local peer support service, people came "
     "back more confident about managing their diabetes.", "written", "", "",
     {"storyteller": ["health-or-care-professional"], "purpose": ["evidence-impact", "train-or-educate"],
      "audience": ["professionals"], "outcome": ["a-change-in-practice"], "actions": ["refer-people-to-peer-support"]},
     [("condition", "diabetes")]),
    ("Example: a peer supporter's year in numbers and words", "Our small service kept simple records for a year: "
     "who came, what they hoped for, and what they told us afterwards. This example story sets out what we learned "
     "for the people who fund us.", "written", "", "",
     {"storyteller": ["peer-supporter"], "purpose": ["evidence-impact", "influence-commissioning-or-policy"],
      "audience": ["commissioners"], "outcome": ["a-service-funded-or-kept"],
      "actions": ["fund-or-commission-peer-support"]}, [("condition", "mental-health")]),
    ("Example: a talk for commissioners on peer-led recovery", "An invented event: an organisation presents what "
     "peer-led recovery groups offer and asks commissioners to include them in local plans.", "event",
     "https://www.example.org/events/peer-led-recovery", "Summary: a one-hour talk with questions from the audience.",
     {"storyteller": ["organisation"], "purpose": ["influence-commissioning-or-policy", "campaign"],
      "audience": ["commissioners", "policymakers"], "outcome": ["a-change-in-policy"],
      "actions": ["fund-or-commission-peer-support", "learn-more"]}, [("condition", "substance-use")]),
    ("Example: when a referral went wrong, and what we changed", "An invented account by a peer support worker of a "
     "referral that reached the wrong group, told for the professionals who refer people, so that they can see what "
     "a good referral needs: what the person hopes for, how they prefer to be contacted, and any access needs.",
     "written", "", "",
     {"storyteller": ["peer-supporter"], "purpose": ["train-or-educate"], "audience": ["professionals"],
      "outcome": ["a-change-in-practice"], "actions": ["refer-people-to-peer-support"]},
     [("condition", "mental-health")]),
]
# Shared only with confirmed professionals (and so never in open data), to show that consent choice.
PROFESSIONALS_ONLY = {"Example: when a referral went wrong, and what we changed"}


def _example_data(title, body, medium, link, transcript) -> dict:
    open_to_all = title not in PROFESSIONALS_ONLY
    return {"title": title, "body": body + EXAMPLE_NOTE, "medium": medium, "media_url": link,
            "transcript": transcript, "visibility": "open" if open_to_all else "signed_in", "is_named": False,
            "storyteller_name": "", "open_data": open_to_all, "under_16": False, "guardian_name": "",
            "email": EXAMPLE_EMAIL}


def _terms(topography: dict) -> list[TopographyTerm]:
    return [TopographyTerm.objects.get(dimension=d, slug=s) for d, slugs in topography.items() for s in slugs]


@transaction.atomic
def load_examples() -> int:
    added = 0
    for title, body, medium, link, transcript, topography, hub in EXAMPLES:
        if Story.objects.filter(title=title, is_example=True).exists():
            continue
        hub_terms = [Term.objects.get(vocabulary__slug=v, slug=s) for v, s in hub]
        story = submit_story(_example_data(title, body, medium, link, transcript), terms=_terms(topography),
                             hub_terms=hub_terms, is_example=True)
        publish_story(story, actor=None, note="Demo example story")
        added += 1
    return added


def load_stories_demo() -> str:
    return f"{load_examples()} example stories added"
