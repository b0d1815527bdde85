"""People and organisations in the back office. Every write goes through accounts.services (its checks and its
audit row); a refusal comes back as a message on the same page (core.admin)."""

from contextvars import ContextVar

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Membership, Organisation, User
from core.admin import ServiceRefused, ServiceWriteAdmin, ServiceWrites, service_call
from core.search import country_codes_named, fold

# Who is setting a password: Django's password view builds its form without the request, so the view below names
# the person for the one request it serves (a context variable: each request, thread or task its own).
_password_setter: ContextVar[User | None] = ContextVar("password_setter", default=None)


class MembershipInlineForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A saved membership keeps its person (only the level changes); another person is a new row.
        if self.instance.pk is not None:
            self.fields["user"].disabled = True


class MembershipInline(admin.TabularInline):
    """Rows are written by OrganisationAdmin.save_formset through the membership services (audit rows)."""

    model = Membership
    form = MembershipInlineForm
    extra = 0
    autocomplete_fields = ["user"]


class StaffUserCreationForm(forms.ModelForm):
    """Staff create an account without a password: the person sets their own (Forgot your password?)."""

    class Meta:
        model = User
        fields = ["email", "full_name", "role", "language", "time_zone"]


class PasswordSetForm(AdminPasswordChangeForm):
    """Django's form, saved through user_password_set_by_staff (audit row; tokens end through accounts.signals)."""

    def save(self, commit=True):
        usable = self.cleaned_data.get("set_usable_password", True)
        return service_call(services.user_password_set_by_staff, by=_password_setter.get(), user=self.user,
                            password=self.cleaned_data["password1"] if usable else None)


@admin.register(User)
class UserAdmin(ServiceWrites, BaseUserAdmin):
    """Superusers see and change everything. Other staff see no superuser, permission or password fields, grant
    only groups whose rights they hold, and only read colleagues' and superusers' accounts
    (accounts.services.user_save_by_staff enforces the same on every save)."""

    ordering = ["email"]
    list_display = ["email", "full_name", "role", "language", "time_zone", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "language"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "job_title", "phone", "language", "time_zone")}),
        (_("Role and permissions"), {"fields": ("role", "is_active", "is_staff", "is_superuser", "groups",
                                                 "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    staff_fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Person"), {"fields": ("full_name", "job_title", "phone", "language", "time_zone")}),
        (_("Role and groups"), {"fields": ("role", "is_active", "is_staff", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "role", "password1", "password2")}),
    )
    staff_add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "role", "language", "time_zone")}),
    )

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.staff_add_fieldsets if obj is None else self.staff_fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = StaffUserCreationForm
        return super().get_form(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = services.groups_grantable_by(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not services.user_editable_by(by=request.user, target=obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not services.user_editable_by(by=request.user, target=obj):
            return False
        return super().has_delete_permission(request, obj)

    change_password_form = PasswordSetForm

    def user_change_password(self, request, id, form_url=""):
        # Setting someone's password in the back office is a superuser's job; everyone else resets their own.
        if not request.user.is_superuser:
            raise PermissionDenied
        token = _password_setter.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        except ServiceRefused as refused:
            return self._refused(request, refused)
        finally:
            _password_setter.reset(token)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        service_call(
            services.user_save_by_staff, by=request.user, user=obj, changed=form.changed_data,
            groups=list(data["groups"]) if "groups" in data else None,
            user_permissions=list(data["user_permissions"]) if "user_permissions" in data else None,
        )

    def delete_model(self, request, obj):
        service_call(services.user_delete_by_staff, by=request.user, user=obj)

    def save_related(self, request, form, formsets, change):
        # Groups and permissions were saved by user_save_by_staff, after its checks; only inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Organisation)
class OrganisationAdmin(ServiceWriteAdmin):
    list_display = ["name", "country", "kind", "region_city"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "region_city"]
    search_help_text = _("Name, place or country, in any language; accents optional")
    inlines = [MembershipInline]
    # As on the applicants' form: an address typed without a scheme is https (and Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # Every write goes through accounts.services, which checks the permission and writes the audit row.
    bulk_delete = True  # "delete selected": each through organisation_delete, all of them or none

    def get_search_results(self, request, queryset, search_term):
        # Folded (core.search): "Bogota" finds "Bogotá"; a country named in any portal language ("콜롬비아").
        folded = fold(search_term)
        if not folded:
            return queryset, False
        codes = country_codes_named(search_term)
        return queryset.filter(Q(search_text__contains=folded) | Q(country__in=codes)), False

    def save_model(self, request, obj, form, change):
        if change:
            service_call(services.organisation_update, by=request.user, organisation=obj, changed=form.changed_data)
        else:
            service_call(services.organisation_add, by=request.user, organisation=obj)

    def delete_model(self, request, obj):
        service_call(services.organisation_delete, by=request.user, organisation=obj)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # sorts the rows into new, changed and deleted; writes nothing
        for membership in formset.deleted_objects:
            service_call(services.membership_remove, by=request.user, membership=membership)
        for membership, _fields in formset.changed_objects:
            service_call(services.membership_level_set, by=request.user, membership=membership,
                         level=membership.level)
        for membership in formset.new_objects:
            service_call(services.membership_add, by=request.user, organisation=form.instance, user=membership.user,
                         level=membership.level)
