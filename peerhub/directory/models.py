"""The directory of local peer support, modelled on Open Referral UK 3.0 (HSDS 3.0 with the UK
profile): one table per HSDS object, UUID primary keys, the HSDS field names.

Peer-support facts (peer-led, group, online, conditions served, referral route…) are HSDS
attributes: links from any record to a term of the "Peer Support Hub" taxonomy, never extra
columns. The few columns HSDS lacks are hub bookkeeping (example flag, reminder date), never
published in the ORUK API.

References the published ORUK examples leave dangling (a parent organisation or parent term that
is not in the feed) are kept as bare UUIDs: those foreign keys use db_constraint=False."""

import uuid

from django.conf import settings
from django.db import models


class UUIDModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class Organization(UUIDModel):
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=1000, blank=True)
    logo = models.CharField(max_length=1000, blank=True)
    uri = models.URLField(max_length=1000, blank=True)
    parent_organization = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    name_key = models.CharField(max_length=255, db_index=True, help_text="Normalised name, for duplicate checks")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganizationIdentifier(UUIDModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="organization_identifiers")
    identifier_scheme = models.CharField(max_length=60, blank=True, help_text="org-id.guide scheme, e.g. GB-CHC")
    identifier_type = models.CharField(max_length=120)
    identifier = models.CharField(max_length=120)

    class Meta:
        indexes = [models.Index(fields=["identifier_scheme", "identifier"])]

    def __str__(self):
        return f"{self.identifier_scheme or self.identifier_type} {self.identifier}"


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class Service(UUIDModel):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=1000, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.FloatField(null=True, blank=True)
    maximum_age = models.FloatField(null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True, help_text="When the details were last checked")
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField()

    # Hub bookkeeping, not part of ORUK output.
    is_example = models.BooleanField(default=False, help_text="A fictitious example listing")
    reminder_sent_at = models.DateTimeField(null=True, blank=True, help_text="Last 'is this still right?' email")
    postcode_key = models.CharField(max_length=10, blank=True, db_index=True, help_text="First postcode, no spaces")
    name_key = models.CharField(max_length=255, db_index=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name_key", "postcode_key"]), models.Index(fields=["last_modified"])]

    def __str__(self):
        return self.name


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    POSTAL = "postal", "Postal"
    VIRTUAL = "virtual", "Virtual"


class Location(UUIDModel):
    location_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=120, blank=True)
    external_identifier_type = models.CharField(max_length=60, blank=True)

    class Meta:
        # The proximity search reads a latitude band from this index, then checks longitude.
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self):
        return self.name or str(self.id)


class Address(UUIDModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=255, blank=True)
    address_1 = models.CharField(max_length=255)
    address_2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=120)
    region = models.CharField(max_length=120, blank=True)
    state_province = models.CharField(max_length=120)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="GB")
    address_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)
    city_key = models.CharField(max_length=120, db_index=True, help_text="Lower-case city, for place-name search")

    def __str__(self):
        return f"{self.address_1}, {self.city} {self.postal_code}"


class Accessibility(UUIDModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(max_length=1000, blank=True)

    def __str__(self):
        return self.description[:60] or str(self.id)


class ServiceAtLocation(UUIDModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    description = models.TextField(blank=True)

    def __str__(self):
        return f"{self.service_id} at {self.location_id}"


class Contact(UUIDModel):
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)

    def __str__(self):
        return self.name or str(self.id)


class Phone(UUIDModel):
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=60)
    description = models.TextField(blank=True)

    def __str__(self):
        return self.number


class Schedule(UUIDModel):
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=10, blank=True, choices=[("WEEKLY", "Weekly"), ("MONTHLY", "Monthly")])
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=60, blank=True, help_text="RFC 5545 days, e.g. MO,WE")
    bymonthday = models.CharField(max_length=60, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.URLField(max_length=1000, blank=True)
    attending_type = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)

    def __str__(self):
        return self.description[:60] or f"{self.freq} {self.byday}"


class CostOption(UUIDModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=255, blank=True)

    def __str__(self):
        return self.option or str(self.amount)


class Language(UUIDModel):
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    phone = models.ForeignKey(Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=120, blank=True)
    code = models.CharField(max_length=12, blank=True, help_text="ISO 639 code")
    note = models.TextField(blank=True)

    def __str__(self):
        return self.name or self.code or str(self.id)


class ServiceArea(UUIDModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=30, blank=True)
    uri = models.CharField(max_length=1000, blank=True)
    service_area = models.TextField(blank=True)

    def __str__(self):
        return self.name or str(self.id)


class Funding(UUIDModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.TextField(blank=True)

    def __str__(self):
        return self.source[:60]


class Taxonomy(UUIDModel):
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    uri = models.URLField(max_length=1000, blank=True)
    version = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self):
        return self.name


class TaxonomyTerm(UUIDModel):
    taxonomy = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="terms"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    code = models.CharField(max_length=160, blank=True, db_index=True, help_text="Stable key, e.g. format:peer-led")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    taxonomy_name = models.CharField(max_length=255, blank=True, help_text="HSDS `taxonomy` text, for feeds")
    term_uri = models.URLField(max_length=1000, blank=True)
    term = models.CharField(max_length=255, blank=True)
    library_term = models.ForeignKey(
        "library.Term", null=True, blank=True, on_delete=models.SET_NULL, related_name="directory_terms",
        help_text="The evidence library term this mirrors (conditions and communities)",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Attribute(UUIDModel):
    """HSDS attribute: links a taxonomy term to any record (`link_entity` names its table)."""

    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes")
    link_id = models.UUIDField()
    link_type = models.CharField(max_length=60, blank=True)
    link_entity = models.CharField(max_length=40, default="service")
    value = models.CharField(max_length=255, blank=True)
    label = models.CharField(max_length=255, blank=True)

    class Meta:
        # (link_id, term) serves the filters' EXISTS probes; (term, entity) serves "all services with term X".
        indexes = [
            models.Index(fields=["link_id", "taxonomy_term"]),
            models.Index(fields=["taxonomy_term", "link_entity"]),
        ]

    def __str__(self):
        return f"{self.link_entity} {self.link_id}: {self.taxonomy_term_id}"


class ProximityEntry(models.Model):
    """Hub bookkeeping for the nearest-first search, never published: one row per service at a
    located venue, holding everything that search filters and sorts on (grid cell, position,
    active, assured date, the service's terms). Its one index holds every column, so the search
    reads a few index ranges and touches no other table. services.reindex keeps it in step."""

    service_at_location = models.OneToOneField(ServiceAtLocation, on_delete=models.CASCADE, primary_key=True,
                                               related_name="proximity")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="proximity_entries")
    cell = models.IntegerField()
    latitude = models.FloatField()
    longitude = models.FloatField()
    active = models.BooleanField()
    assured_date = models.DateField(null=True)
    term_keys = models.TextField(help_text="|key|key|: the service's taxonomy terms, see hub_taxonomy.term_key")

    class Meta:
        indexes = [models.Index(fields=["cell", "latitude", "longitude", "active", "assured_date", "term_keys",
                                        "service_at_location"], name="directory_proximity_scan")]

    def __str__(self):
        return f"{self.service_at_location_id} in cell {self.cell}"


class PostcodeKind(models.TextChoices):
    SECTOR = "sector", "Postcode sector"
    DISTRICT = "district", "Postcode district"


class PostcodeCentroid(models.Model):
    """ONS-derived centroids of GB postcode sectors ("SW1A 1") and districts ("SW1A")."""

    code = models.CharField(max_length=8, unique=True)
    kind = models.CharField(max_length=10, choices=PostcodeKind.choices)
    latitude = models.FloatField()
    longitude = models.FloatField()
    postcode_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.code


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    APPROVED = "approved", "Published"
    REJECTED = "rejected", "Not accepted"


class ListingSubmission(UUIDModel):
    """A provider's proposed new listing or change. Nothing is published until a curator
    approves it; `proposed` holds the flat listing fields (see directory.listing)."""

    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="submissions")
    proposed = models.JSONField()
    status = models.CharField(max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED)
    note = models.TextField(blank=True)
    rejection_reason = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="directory_submissions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.proposed.get('name', 'Listing')} ({self.status})"
