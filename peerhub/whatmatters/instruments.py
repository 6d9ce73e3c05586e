"""The instruments the hub ships, which an organiser creates an exercise from and then edits.

The survey template's first four factors are those named by the national survey; the rest are
the hub's own draft, labelled so nobody mistakes them for the national survey's list. The
workshop template holds example content from the Lab's workshop: its four challenge areas with
challenges under each, as cards for dot voting and MoSCoW sorting."""

from peerhub.whatmatters.models import FactorOrigin, Kind, Mode

CONSENT = (
    "Taking part is voluntary. We do not ask for your name or contact details. Your answers are stored "
    "securely and reported only in groups of at least 10 people, so nobody can be identified. You can stop "
    "at any time; nothing is counted until you send your answers."
)

NATIONAL_FACTORS = [
    "Confidence in the quality of the service",
    "Belief that peer support would improve health and wellbeing",
    "Meeting people with similar experiences",
    "Being recommended by a health professional",
]
HUB_DRAFT_FACTORS = [
    "Being able to get there easily, or take part online",
    "It being free to take part",
    "Peer supporters who are trained and supervised",
    "Feeling welcome whatever my background",
    "Being able to come and go as I need",
    "Knowing my information is kept private",
]

USED_PEER_SUPPORT = {
    "kind": Kind.SINGLE, "defines_groups": True,
    "prompt": "Have you used peer support?",
    "help_text": "Peer support is help from people who share an experience with you, such as a condition.",
    "options": ["Yes, I have used peer support", "No, I have not used peer support", "I give or organise peer support"],
}

SURVEY = {
    "title": "What matters when choosing peer support",
    "summary": "Which things matter most to people when they decide whether to use peer support. "
               "The first four factors come from the national survey; the others are the hub's own draft, "
               "not the national survey's list, and the organiser may change them.",
    "mode": Mode.SURVEY,
    "factors": [(label, "", FactorOrigin.NATIONAL) for label in NATIONAL_FACTORS]
    + [(label, "", FactorOrigin.HUB_DRAFT) for label in HUB_DRAFT_FACTORS],
    "questions": [
        USED_PEER_SUPPORT,
        {"kind": Kind.BEST_WORST, "set_size": 4,
         "prompt": "In each set, which matters most and which matters least to you?"},
        {"kind": Kind.RANKING, "prompt": "Put these in order, from what matters most to what matters least"},
        {"kind": Kind.RATING, "prompt": "How likely are you to use peer support in the next year?",
         "scale_min": 1, "scale_max": 5, "scale_low_label": "Very unlikely", "scale_high_label": "Very likely"},
        {"kind": Kind.MULTIPLE, "prompt": "How would you like to hear about peer support?",
         "options": ["From my GP or nurse", "From a charity", "Online or social media", "From friends or family"]},
    ],
}

CHALLENGES = {
    "Access": [
        "Ensure health professionals routinely and reliably refer to, and promote, peer support services",
        "Make it easy for people to find peer support near them",
    ],
    "Buy-in and culture": [
        "Shifting power from 'over' to 'with'",
        "Create equity between peer support and medical model",
    ],
    "Evidence": [
        "Agree simple ways to show the difference peer support makes",
        "Share what works between organisations",
    ],
    "Workforce": [
        "Use lived experience to drive the system",
        "Fund training and supervision for peer supporters",
    ],
}

WORKSHOP = {
    "title": "Example workshop: challenges for peer support",
    "summary": "Example content from the Lab's workshop: four challenge areas (access, buy-in and culture, "
               "evidence, workforce) with challenges under each. Participants spread their votes over the "
               "challenges, then sort them into must, should, could and won't have.",
    "mode": Mode.WORKSHOP,
    "factors": [(label, area, FactorOrigin.ORGANISER) for area, labels in CHALLENGES.items() for label in labels],
    "questions": [
        {**USED_PEER_SUPPORT, "prompt": "Which best describes you?",
         "options": ["I have used peer support", "I give or organise peer support", "I work in health or care"]},
        {"kind": Kind.DOTS, "votes": 5, "prompt": "Which challenges should we work on first?",
         "help_text": "You have 5 votes. Put them on the challenges that matter most; "
                      "you can put more than one vote on a challenge."},
        {"kind": Kind.MOSCOW, "prompt": "Sort the challenges: must, should, could or won't have"},
    ],
}

TEMPLATES = {"survey": SURVEY, "workshop": WORKSHOP}
TEMPLATE_CHOICES = [
    ("survey", "What matters when choosing peer support (survey: best-worst, ranking, rating, choices)"),
    ("workshop", "Example workshop: challenges for peer support (live: dot voting and MoSCoW cards)"),
]
