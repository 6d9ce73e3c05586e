"""People who sign in. Visitors are anonymous and have no row here."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class Role(models.TextChoices):
    CONTRIBUTOR = "contributor", "Contributor"
    CURATOR = "curator", "Curator"
    ADMIN = "admin", "Administrator"


# Each role can do everything the roles before it can.
ROLE_ORDER = [Role.CONTRIBUTOR, Role.CURATOR, Role.ADMIN]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONTRIBUTOR)
    # Storytellers may share a story only with professionals: signing up proves nobody's job, so an
    # administrator confirms it (see core.permissions.is_professional).
    is_professional = models.BooleanField(
        "Confirmed health or care professional", default=False,
        help_text="Set by an administrator who has checked the person's professional role. They can then read "
                  "stories that storytellers shared only with professionals.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.display_name or self.email

    def has_role(self, role: str) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return ROLE_ORDER.index(self.role) >= ROLE_ORDER.index(role)

    @property
    def is_curator(self) -> bool:
        return self.has_role(Role.CURATOR)

    @property
    def is_hub_admin(self) -> bool:
        return self.has_role(Role.ADMIN)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for API writes. Only its hash is stored; the raw token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_raw_key() -> str:
        return secrets.token_urlsafe(32)
