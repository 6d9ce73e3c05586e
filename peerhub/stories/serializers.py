"""Stories as JSON, for the API. The storyteller's email is never included, and a name only
when the storyteller chose to be named."""

from peerhub.stories import selectors
from peerhub.stories.models import Story

HUB_VOCABULARIES = ["condition", "community"]


def _choice(value: str, label: str) -> dict:
    return {"value": value, "label": label}


def topography_dict(story: Story) -> dict:
    return {
        slug: {"terms": [{"slug": t.slug, "name": t.name, "position": t.position} for t in terms],
               "detail": detail or None}
        for slug, _label, terms, detail in selectors.topography(story)
    }


def story_summary(story: Story) -> dict:
    return {
        "id": story.pk,
        "url": story.get_absolute_url(),
        "title": story.title,
        "storyteller_name": story.storyteller_name if story.is_named and story.storyteller_name else None,
        "medium": _choice(story.medium, story.get_medium_display()),
        "visibility": _choice(story.visibility, story.get_visibility_display()),
        "published_at": story.published_at,
        "is_example": story.is_example,
        "topography": topography_dict(story),
        "topography_description": selectors.describe_topography(story),
        **{v: [{"slug": t.slug, "name": t.name} for t in selectors.hub_terms_of(story, v)] for v in HUB_VOCABULARIES},
    }


def story_detail(story: Story) -> dict:
    selectors.with_details(story)
    return {
        **story_summary(story),
        "body": story.body,
        "media_url": story.media_url or None,
        "transcript": story.transcript or None,
        "fingerprint_svg": selectors.fingerprint(story),
        "needs_signposting": story.needs_safety_review,
        "resources": [{"id": r.pk, "title": r.title, "url": r.get_absolute_url()}
                      for r in selectors.visible_resources(story)],
        "service_ids": list(story.service_ids),
    }


def story_page_dict(page) -> dict:
    return {
        "total": page.total,
        "page": page.params.page,
        "per_page": page.params.per_page,
        "results": [story_summary(s) for s in page.items],
        "facets": [{"name": f.name, "label": f.label,
                    "values": [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                               for v in f.values]} for f in page.facets],
    }


def vocabularies_dict() -> list[dict]:
    return [{"dimension": slug, "label": label,
             "terms": [{"slug": t.slug, "name": t.name, "description": t.description or None,
                        "position": t.position, "is_active": t.is_active} for t in terms]}
            for slug, label, terms in selectors.topography_vocabularies()]
