from peerhub.directory.demo import EXAMPLES, REMOTE_EXAMPLES, load_directory_demo
from peerhub.directory.models import Attribute, Service


def test_it_loads_examples_across_gb_and_the_oruk_example_once(demo, settings):
    assert Service.objects.count() == len(EXAMPLES) + len(REMOTE_EXAMPLES) + 1
    assert not Service.objects.filter(is_example=False).exists()
    assert "0 listings added" in load_directory_demo(settings.SHARED_DATA_DIR)
    assert Service.objects.count() == len(EXAMPLES) + len(REMOTE_EXAMPLES) + 1


def test_it_marks_every_invented_listing_as_an_example_in_its_text(demo):
    invented = Service.objects.exclude(name="Community Counselling")
    assert all(s.description.startswith("Example listing") for s in invented)


def test_it_records_peer_support_facts_as_hsds_attributes(demo):
    service = Service.objects.get(name="Leeds Hearing Voices Group")
    codes = set(Attribute.objects.filter(link_id=service.id).values_list("taxonomy_term__code", flat=True))
    assert {"leadership:peer-led", "size:group", "delivery:in-person", "condition:psychosis"} <= codes
