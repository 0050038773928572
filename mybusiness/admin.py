from datetime import date

# Registers django-otp's device lists now, so that the end of this module can take them out again.
import django_otp.plugins.otp_static.admin
import django_otp.plugins.otp_totp.admin  # noqa: F401
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.contrib.admin.widgets import AdminEmailInputWidget, AdminTextInputWidget
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mybusiness import fields as rule_fields
from mybusiness import services
from mybusiness.emails import SECRET_LINK_TEMPLATES
from mybusiness.exports import export_response, iterate
from mybusiness.models import OutboxEmail, Partner, User

# Django's own message, translated by Django's admin catalog (a name, not a literal, so that
# makemessages leaves it out of ours).
DJANGO_ACTION_CHECKBOX_LABEL = "Select this object for an action - {}"
# No row id is larger (a bigint column's range): a larger number in a query is no row, and SQLite
# cannot even bind it.
BIGGEST_ROW_ID = 2**63 - 1


class ExportAdminMixin:
    """« Exporter (CSV) » and « Exporter (Excel) » on a changelist: the list as filtered, searched and
    sorted on screen, every page of it, streamed (``mybusiness.exports``). Only users holding
    ``export_permission`` see the links and may fetch the files."""

    change_list_template = "admin/export_change_list.html"
    export_permission = ""
    export_filename = ""

    def export_columns(self, request):
        raise NotImplementedError

    def export_rows(self, queryset):
        """The queryset's rows as dicts (``values()``), with what the columns read."""
        raise NotImplementedError

    @property
    def _export_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_export"

    def has_export_permission(self, request) -> bool:
        return bool(self.export_permission) and request.user.has_perm(self.export_permission)

    def get_urls(self):
        return [
            path("export.<slug:file_format>", self.admin_site.admin_view(self.export_view), name=self._export_name),
            *super().get_urls(),
        ]

    def export_view(self, request, file_format):
        if not self.has_export_permission(request):
            raise PermissionDenied
        # What the list itself answers to filters it cannot use.
        unusable = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist") + f"?{ERROR_FLAG}=1"
        if HostileInputAdminMixin._hostile(request.GET):
            return HttpResponseRedirect(unusable)
        try:
            changelist = self.get_changelist_instance(request)
            queryset = changelist.get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(unusable)
        return export_response(
            rows=iterate(self.export_rows(queryset)), columns=self.export_columns(request),
            filename=self.export_filename, file_format=file_format,
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_export_permission(request):
            query = request.GET.urlencode()
            extra_context["export_urls"] = [
                (label, reverse(f"admin:{self._export_name}", args=[file_format]) + (f"?{query}" if query else ""))
                for file_format, label in (("csv", _("Exporter (CSV)")), ("xlsx", _("Exporter (Excel)")))
            ]
        return super().changelist_view(request, extra_context)


def two_lines(main, secondary):
    """A list cell holding two facts that go together (the lists fit a 1366 px screen): the main one, and under
    it, quieter, the other."""
    return format_html('{}<br><span class="quiet">{}</span>', main, secondary)


class ReadOnlyAdminMixin:
    """Nobody adds, edits or deletes these rows in the admin: they change through their services
    (a review action, a task, a resend), or never."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class LargeListChangeList(ChangeList):
    """Each row's link is its reversed change URL with the list's filters appended.

    Django reverses the change URL for every row, then, when the list is filtered, parses it and
    resolves it again to carry the filters (``add_preserved_filters``): some ten milliseconds for
    fifty rows. Here the filters are appended as they are; the links are the same.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_filters, self.preserved_filters = self.preserved_filters, ""
        self.change_url_name = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"

    def url_for_result(self, result):
        url = reverse(
            self.change_url_name,
            args=[quote(getattr(result, self.pk_attname))],
            current_app=self.model_admin.admin_site.name,
        )
        return f"{url}?{self.row_filters}" if self.row_filters else url


class LargeListAdminMixin:
    """A changelist of a million rows: what Django's admin costs per row, cut.

    * The action checkbox is written out instead of rendered through a form widget's template
      (a millisecond a row, a fifth of the order list's time): the same input, the same label.
    * The rows' links come from ``LargeListChangeList``.
    """

    def get_changelist(self, request, **kwargs):
        return LargeListChangeList

    def action_checkbox(self, obj):
        label = format_html(gettext(DJANGO_ACTION_CHECKBOX_LABEL), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME, obj.pk, label,
        )


class HostileInputAdminMixin:
    """What Django's admin lists pass to the database unchecked, checked first.

    * A list action filters the rows by the posted ids as they come: one that is not a number,
      or a number past the column's range, makes the action's query fail with a server error
      instead of selecting nothing. Such ids are dropped; none left, and Django says that no
      item was selected.
    * A filter or search term with a NUL character is a server error on PostgreSQL (it refuses
      NUL in text parameters; no row can hold one), a number past 64 bits one on SQLite, a date
      hierarchy's year, month or day that makes no date one everywhere: the list answers as it
      does to any filter it cannot use, with the ``?e=1`` page.
    * A form or a list's editable rows sent such a number (in a choice no one can type), or a page
      of one object asked with it or a NUL, is a bad request (400): the admin's choice fields would
      pass it to the database.
    Every ModelAdmin of the site has this mixin, Django's and django-axes' included (registered
    again below; tests/fuzz/test_fuzz_r11.py checks them all).
    """

    def changelist_view(self, request, extra_context=None):
        if self._hostile(request.GET) or not self._date_hierarchy_usable(request.GET):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        # The list's editable rows (the actions' selected ids are sorted out by response_action).
        if self._too_big(request.POST, prefix="form-", row_ids=True):
            return HttpResponseBadRequest()
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A NUL typed in a field is the form's to explain; a number no row has comes from no one's typing.
        if self._hostile(request.GET):
            raise Http404  # no page of one object has such an address
        if self._too_big(request.POST):
            return HttpResponseBadRequest()
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        # « Ajouter » prefilled from the address (?partner=12): a related row's id that is no id is left out.
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation and field.related_model is not None:
                target = field.related_model._meta.pk
                try:
                    for one in value if isinstance(value, list) else [value]:
                        target.to_python(one)
                except ValidationError:
                    del initial[name]
        return initial

    @staticmethod
    def _hostile(query) -> bool:
        return any(
            "\x00" in key or "\x00" in value or (value.isdigit() and int(value) > BIGGEST_ROW_ID)
            for key, values in query.lists() for value in values
        )

    def _too_big(self, query, prefix: str = "", *, row_ids: bool = False) -> bool:
        """A row id past any row's in the query: in a relation's choice, or a list row's ``id`` (a text
        field may hold any digits; an inline row's id is checked by its formset)."""
        relations = {field.name for field in self.model._meta.get_fields() if field.is_relation}
        relations |= {"id"} if row_ids else set()
        return any(
            value.isdigit() and int(value) > BIGGEST_ROW_ID
            for key, values in query.lists()
            if key.startswith(prefix) and key.rsplit("-", 1)[-1] in relations
            for value in values
        )

    def _date_hierarchy_usable(self, query) -> bool:
        if not self.date_hierarchy:
            return True
        parts = [query.get(f"{self.date_hierarchy}__{part}") for part in ("year", "month", "day")]
        if not any(parts):
            return True
        try:
            year, month, day = (int(value) if value else 1 for value in parts)
            date(year, month, day)
        except (ValueError, OverflowError):
            return False
        # The last day of the range the admin builds must exist too (31 December 9999 + 1 does not).
        return year < 9999

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


class FieldRulesAdminMixin:
    """The admin's forms check and normalise each kind of field as the portal does (``mybusiness.fields``):
    emails here; a subclass sets ``field_class_for`` to ``sites.fields.field_class_for`` for the site data."""

    field_class_for = staticmethod(rule_fields.field_class_for)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field_class = self.field_class_for(db_field)
        if field_class is None:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        is_email = issubclass(field_class, rule_fields.EmailField)
        kwargs.setdefault("widget", AdminEmailInputWidget if is_email else AdminTextInputWidget)
        return rule_fields.formfield_with_rules(db_field, field_class_for=self.field_class_for, **kwargs)


@admin.register(Partner)
class PartnerAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            # A deactivated (or reactivated) company's users log in again; its data stays.
            services.sessions_end(users=User.objects.filter(partner=obj))


class StaffGroupFilter(admin.RelatedFieldListFilter):
    """The groups filter, with the staff groups' names in the reader's language (mybusiness.roles)."""

    def field_choices(self, field, request, model_admin):
        return [(pk, gettext(name)) for pk, name in super().field_choices(field, request, model_admin)]


@admin.register(User)
class UserAdmin(FieldRulesAdminMixin, HostileInputAdminMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email", "first_name", "last_name", "partner", "role", "is_active", "is_staff", "two_factor_enabled",
    ]
    list_filter = ["role", "is_active", "is_staff", "two_factor_enabled", ("groups", StaffGroupFilter)]
    readonly_fields = ["two_factor_enabled"]
    actions = ["two_factor_reset"]
    list_select_related = ["partner"]
    search_fields = ["email", "first_name", "last_name", "partner__name", "partner__code"]
    autocomplete_fields = ["partner"]
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "language")}),
        (_("Rattachement"), {"fields": ("partner", "role")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Sécurité"), {"fields": ("two_factor_enabled",)}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "partner", "role", "password1", "password2")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            # A deactivated (or reactivated) account's open sessions end: it logs in again.
            services.sessions_end(users=type(obj).objects.filter(pk=obj.pk))

    @admin.action(description=_("Réinitialiser la double authentification (téléphone et codes perdus)"),
                  permissions=["change"])
    def two_factor_reset(self, request, queryset):
        # The user adds a new application at their next login (required for staff, offered to partners).
        for user in queryset:
            services.two_factor_disable(user=user)
        count = services.sessions_end(users=queryset)
        self.message_user(
            request,
            ngettext(
                "Double authentification réinitialisée pour %(count)s compte ; il se reconnecte.",
                "Double authentification réinitialisée pour %(count)s comptes ; ils se reconnectent.",
                count,
            ) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdminMixin, HostileInputAdminMixin, admin.ModelAdmin):
    """The emails of the outbox, read-only: what was sent, what waits, what failed and why.

    For sales administration and superusers (``view_outboxemail``); nobody adds, edits or
    deletes them here: the outbox's tasks do (``mybusiness.emails``).
    """

    list_display = ["created_at", "subject", "to", "status", "failures", "retry_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "template", "to", "subject", "status", "created_at", "last_attempt_at", "failures", "last_error",
        "retry_at", "sent_at", "body_shown",
    ]
    readonly_fields = fields

    @admin.display(description=_("texte"))
    def body_shown(self, email: OutboxEmail) -> str:
        if email.template in SECRET_LINK_TEMPLATES:
            return gettext("Masqué : ce message contient un lien personnel pour choisir un mot de passe.")
        return email.body


# Django's and django-axes' own lists, with the same guard against hostile query strings as ours.
for model, model_admin in ((Group, GroupAdmin), (AccessAttempt, AccessAttemptAdmin), (AccessLog, AccessLogAdmin),
                           (AccessFailureLog, AccessFailureLogAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (HostileInputAdminMixin, model_admin), {}))

# django-otp's device lists show secrets and bypass User.two_factor_enabled: the user's own security page and
# the reset action above are the ways to change a second factor. (Their admin modules are imported above, so
# that they are registered before this, as autodiscovery would register them after.)
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
