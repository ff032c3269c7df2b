import csv

from django.contrib import admin, messages
from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone

from articles.admin import SectionListFilter

from . import services
from .models import Subscriber

CSV_FIELDS = [
    "email",
    "edition",
    "status",
    "frequency",
    "sections",
    "created_at",
    "consent_text",
    "requested_at",
    "requested_ip",
    "confirmed_at",
    "confirmed_ip",
    "unsubscribed_at",
    "last_mail",
]


def _csv_cell(value):
    # A spreadsheet runs a cell that starts with one of these as a formula.
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Subscribers come only from the form (consent); the newsroom can see
    them, change their choices on request, export them and forget them."""

    list_display = [
        "email",
        "edition_code",
        "status",
        "frequency",
        "section_list",
        "confirmed_at",
        "last_mail",
    ]
    list_filter = ["edition", "status", "frequency", ("sections", SectionListFilter)]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    actions = ["export_csv", "forget"]
    fields = CSV_FIELDS  # the same record, on screen and in the export
    readonly_fields = [f for f in fields if f not in ("frequency", "sections")]
    filter_horizontal = ["sections"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(last_mail_at=Max("deliveries__sent_at"))
            .prefetch_related("sections")
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description="Edition", ordering="edition")
    def edition_code(self, obj):
        return obj.edition_id

    @admin.display(description="Sections")
    def section_list(self, obj):
        return ", ".join(section.name for section in obj.sections.all()) or "All"

    @admin.display(description="Last mail", ordering="last_mail_at")
    def last_mail(self, obj):
        return obj.last_mail_at

    @admin.action(description="Export selected subscribers as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"subscribers-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        writer = csv.writer(response)
        writer.writerow(CSV_FIELDS)
        for subscriber in queryset.order_by("pk"):
            row = {field: getattr(subscriber, field, None) for field in CSV_FIELDS}
            row["edition"] = subscriber.edition_id
            row["sections"] = self.section_list(subscriber)
            row["last_mail"] = subscriber.last_mail_at
            writer.writerow([_csv_cell(row[field]) for field in CSV_FIELDS])
        return response

    @admin.action(
        description="Forget selected subscribers (delete address and delivery history)",
        permissions=["delete"],
    )
    def forget(self, request, queryset):
        count = services.subscribers_forget(subscribers=queryset)
        self.message_user(request, f"Forgot {count} subscriber(s).", messages.SUCCESS)
