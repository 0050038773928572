from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from mybusiness.models import Partner, User


class HostileInputAdminMixin:
    """What Django's admin lists pass to the database unchecked, checked first.

    * A list action filters the rows by the posted ids as they come: one that is not a number,
      or a number past the column's range, makes the action's query fail with a server error
      instead of selecting nothing. Such ids are dropped; none left, and Django says that no
      item was selected.
    * A filter or search term with a NUL character is a server error on PostgreSQL (it refuses
      NUL in text parameters; no row can hold one): the list answers as it does to any filter
      it cannot use, with the ``?e=1`` page.
    """

    def changelist_view(self, request, extra_context=None):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return super().changelist_view(request, extra_context)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        usable = [value for value in selected if self._is_row_id(value)]
        if usable != selected:
            data = request.POST.copy()
            data.setlist(helpers.ACTION_CHECKBOX_NAME, usable)
            request.POST = data
        return super().response_action(request, queryset)

    def _is_row_id(self, value: str) -> bool:
        field = self.model._meta.pk
        try:
            pk = field.to_python(value)
        except ValidationError:
            return False
        if isinstance(pk, int):
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            return (low is None or pk >= low) and (high is None or pk <= high)
        return pk is not None


@admin.register(Partner)
class PartnerAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    show_full_result_count = False


@admin.register(User)
class UserAdmin(HostileInputAdminMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "partner", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "groups"]
    list_select_related = ["partner"]
    search_fields = ["email", "first_name", "last_name", "partner__name", "partner__code"]
    autocomplete_fields = ["partner"]
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "language")}),
        (_("Rattachement"), {"fields": ("partner", "role")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "partner", "role", "password1", "password2")}),
    )
