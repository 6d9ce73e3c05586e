"""Demo accounts for `make run`. The password is public (it is printed on start-up), so these
accounts exist only in the demo database, never in production."""

from peerhub.accounts.models import Role, User

DEMO_PASSWORD = "peer-support-demo"
DEMO_USERS = [
    ("curator@example.org", "Demo curator", Role.CURATOR),
    ("admin@example.org", "Demo administrator", Role.ADMIN),
    ("contributor@example.org", "Demo contributor", Role.CONTRIBUTOR),
    ("professional@example.org", "Demo GP (confirmed professional)", Role.CONTRIBUTOR),
]
CONFIRMED_PROFESSIONALS = {"professional@example.org"}


def load_demo_users() -> list[User]:
    users = []
    for email, name, role in DEMO_USERS:
        user, created = User.objects.get_or_create(email=email, defaults={
            "display_name": name, "role": role, "is_professional": email in CONFIRMED_PROFESSIONALS})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users.append(user)
    return users
