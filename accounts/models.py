from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from timezone_field import TimeZoneField

from core.search import search_text


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    STAFF = "staff", _("MOLIT staff / secretariat")
    CONSULTANT = "consultant", _("Consultant")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    CENTRE_STAFF = "centre_staff", _("Cooperation-centre staff")
    # Staff of a Korean company implementing an approved project; invited by staff onto their projects.
    CONTRACTOR = "contractor", _("Korean contractor")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.STAFF)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with their e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    time_zone = TimeZoneField(_("time zone"), default="UTC", use_pytz=False)
    job_title = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email_opt_out = models.JSONField(
        _("kinds of notice not sent by e-mail"), default=list, blank=True,
        help_text=_("In-app notices are always shown; these kinds are not also e-mailed."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def get_full_name(self):
        return self.name_from(self.full_name, self.email)

    @staticmethod
    def name_from(full_name: str, email: str) -> str:
        """get_full_name() from the two columns alone, for a list read as values rather than users."""
        return full_name or email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def organisation(self):
        """The organisation this person acts for (applicants belong to one)."""
        membership = self.memberships.select_related("organisation").first()
        return membership.organisation if membership else None


class OrganisationKind(models.TextChoices):
    NATIONAL = "national", _("National government")
    REGIONAL = "regional", _("Regional government")
    CITY = "city", _("City or local government")
    INTERNATIONAL = "international", _("International organisation")
    KOREAN_COMPANY = "korean_company", _("Korean company")
    FOREIGN_COMPANY = "foreign_company", _("Foreign company")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    region_city = models.CharField(_("region or city"), max_length=150, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Folded name and place (core.search), kept on every save: the admin searches find "Bogota" for "Bogotá".
    search_text = models.CharField(max_length=400, blank=True, editable=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", verbose_name=_("members")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name_per_country")
        ]

    def __str__(self):
        return f"{self.name} ({self.country.name})"

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "region_city"} & set(update_fields):
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        """Fill the folded search column (save() does; call it before bulk_create)."""
        self.search_text = search_text(self.name, self.region_city)[:400]


class Membership(models.Model):
    class Level(models.TextChoices):
        ADMIN = "admin", _("Organisation administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"
