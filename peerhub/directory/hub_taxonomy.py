"""The "Peer Support Hub" taxonomy that ships with the directory, as data.

Peer-support facts are HSDS attributes pointing at these terms. Ids are UUID5s of each term's
stable code, so every hub (and every export of it) gives a term the same id, and a feed from one
hub imports into another without duplicating terms. The conditions and communities branches
mirror the evidence library's vocabularies, so a listing and a library resource about the same
condition can be matched."""

import uuid

NAMESPACE = uuid.UUID("6f1c9a52-3d7e-4b8a-9c41-2e5f8d0b7a63")
TAXONOMY_NAME = "Peer Support Hub"
TAXONOMY_DESCRIPTION = (
    "How peer support is offered: who leads it, group or one-to-one, online, phone or in person, "
    "conditions and communities served, and how to join."
)
TAXONOMY_VERSION = "1.0"
MIRRORED_VOCABULARIES = {
    "condition": ("Conditions served", "The health conditions or experiences the group is for."),
    "community": ("Communities served", "The communities the group is for."),
}

# (group code, group name, group description, [(term slug, name, description)])
FIXED_GROUPS = [
    ("leadership", "Who leads it", "Whether people with lived experience run the sessions.", [
        ("peer-led", "Peer-led", "Run by people who have lived experience of the same condition or situation."),
        ("professionally-facilitated", "Professionally facilitated",
         "Run by a trained professional, with people who share experiences taking part."),
    ]),
    ("size", "Group or one-to-one", "How many people you meet at a time.", [
        ("group", "Group", "You meet several people with similar experiences together."),
        ("one-to-one", "One-to-one", "You meet one peer supporter."),
    ]),
    ("delivery", "How you take part", "Where the support happens.", [
        ("online", "Online", "Takes place online, for example by video call or forum."),
        ("phone", "By phone", "Takes place by telephone."),
        ("in-person", "In person", "You meet face to face at a venue."),
    ]),
    ("referral", "How to join", "Whether you can join yourself.", [
        ("self-referral", "Self-referral", "You can contact them and join yourself."),
        ("professional-referral", "Professional referral needed",
         "A health or care professional needs to refer you."),
    ]),
    ("join-speed", "How quickly you can join", "How long people usually wait to start.", [
        ("join-now", "Join straight away", "You can usually start at the next session."),
        ("short-wait", "Short wait", "People usually start within four weeks."),
        ("waiting-list", "Waiting list", "There is a waiting list of more than four weeks."),
    ]),
]


def term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, code)


TAXONOMY_ID = term_id("taxonomy")


def term_key(any_term_id) -> str:
    """Any term's short key in ProximityEntry.term_keys: the first 12 hex digits of its UUID
    (48 bits; a clash among one hub's few hundred terms is vanishingly unlikely), short so a
    whole entry fits in one index row."""
    return uuid.UUID(str(any_term_id)).hex[:12]


def fixed_terms() -> list[dict]:
    """Every fixed group and term as a row: code, name, description, parent code, order."""
    rows = []
    for group_order, (group, name, description, terms) in enumerate(FIXED_GROUPS):
        rows.append({"code": group, "name": name, "description": description, "parent": None, "order": group_order})
        for order, (slug, term_name, term_description) in enumerate(terms):
            rows.append({"code": f"{group}:{slug}", "name": term_name, "description": term_description,
                         "parent": group, "order": order})
    return rows


def mirrored_description(vocabulary: str, name: str) -> str:
    # HSDS requires a description on every term; library terms often have none.
    if vocabulary == "condition":
        return f"For people living with or affected by {name.lower()}."
    return f"For {name[0].lower() + name[1:]}." if not name[:2].isupper() else f"For {name}."


def install_hub_taxonomy(Taxonomy, TaxonomyTerm, LibraryTerm) -> int:
    """Create or refresh the taxonomy and its terms. Works with real or migration models.
    Returns how many terms it holds."""
    taxonomy, _ = Taxonomy.objects.update_or_create(
        id=TAXONOMY_ID,
        defaults={"name": TAXONOMY_NAME, "description": TAXONOMY_DESCRIPTION, "version": TAXONOMY_VERSION},
    )
    rows = fixed_terms() + _mirrored_terms(LibraryTerm)
    for row in rows:
        TaxonomyTerm.objects.update_or_create(
            id=term_id(row["code"]),
            defaults={
                "taxonomy": taxonomy, "code": row["code"], "name": row["name"], "description": row["description"],
                "parent_id": term_id(row["parent"]) if row["parent"] else None, "order": row["order"],
                "taxonomy_name": TAXONOMY_NAME, "term": row["name"], "library_term_id": row.get("library_term"),
            },
        )
    return len(rows)


def _mirrored_terms(LibraryTerm) -> list[dict]:
    rows = []
    for order, (vocabulary, (name, description)) in enumerate(MIRRORED_VOCABULARIES.items()):
        rows.append({"code": vocabulary, "name": name, "description": description, "parent": None,
                     "order": len(FIXED_GROUPS) + order})
        terms = LibraryTerm.objects.filter(vocabulary__slug=vocabulary, merged_into__isnull=True)
        parents = dict(terms.values_list("pk", "slug"))
        for term in terms.order_by("order", "name"):
            parent_slug = parents.get(term.parent_id)
            rows.append({
                "code": f"{vocabulary}:{term.slug}", "name": term.name, "library_term": term.pk, "order": term.order,
                "description": term.description or mirrored_description(vocabulary, term.name),
                "parent": f"{vocabulary}:{parent_slug}" if parent_slug else vocabulary,
            })
    return rows
