"""The topography vocabularies the hub starts with (installed by a data migration). Curators
add, rename and retire terms afterwards on the "Story topography" page."""

DEFAULT_TOPOGRAPHY = {
    "storyteller": [
        "Person with lived experience",
        "Peer supporter",
        "Carer or family member",
        "Health or care professional",
        "Commissioner",
        "Organisation",
    ],
    "purpose": [
        "Offer hope and connection",
        "Raise awareness",
        "Evidence impact",
        "Influence commissioning or policy",
        "Train or educate",
        "Campaign",
        "Other",
    ],
    "audience": [
        "People with the same experience",
        "The public",
        "Professionals",
        "Commissioners",
        "Policymakers",
    ],
    "outcome": [
        "Feeling less alone",
        "Better understanding",
        "Easier access to support",
        "A change in practice",
        "A service funded or kept",
        "A change in policy",
    ],
    "actions": [
        "Reach out for peer support",
        "Share your own story",
        "Refer people to peer support",
        "Fund or commission peer support",
        "Change how you work",
        "Learn more",
    ],
}


def install_default_topography(TopographyTerm) -> None:
    """Works on historical models; adds only what is missing."""
    from django.utils.text import slugify

    for dimension, names in DEFAULT_TOPOGRAPHY.items():
        for position, name in enumerate(names, start=1):
            TopographyTerm.objects.get_or_create(
                dimension=dimension, slug=slugify(name), defaults={"name": name, "position": position}
            )
