from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from .models import (
    FeedRun,
    MediaTopic,
    Partner,
    PartnerAPIKey,
    PartnerFeed,
    Place,
    Webhook,
    WebhookDelivery,
)
from .pushes import webhook_delivery_resend
from .tasks import partner_feed_import

# Keys belong to a partner here: the library's partner-less keys stay out.
admin.site.unregister(APIKey)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "attribution_label", "country", "is_active", "allows_redistribution"]
    list_filter = ["is_active", "allows_redistribution", "country"]
    search_fields = ["name", "attribution_label", "country"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(APIKeyModelAdmin):
    """Keys are shown once, when created (the library's admin says so in a
    message); revoking cannot be undone."""

    list_display = [
        "prefix",
        "name",
        "partner",
        "created",
        "expiry_date",
        "_has_expired",
        "revoked",
        "request_count",
        "last_used_at",
    ]
    list_filter = ["partner", "revoked", "created"]
    list_select_related = ["partner"]
    search_fields = ["name", "prefix", "partner__name"]
    fields = ["partner", "name", "expiry_date", "revoked", "request_count", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "request_count", "last_used_at"]
        if obj is not None:
            readonly.append("partner")
        return readonly


@admin.register(PartnerFeed)
class PartnerFeedAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "partner",
        "format",
        "edition",
        "section",
        "publish",
        "is_active",
        "last_run_at",
    ]
    list_filter = ["is_active", "format", "edition", "partner"]
    list_select_related = ["partner", "section"]
    search_fields = ["url", "partner__name"]
    autocomplete_fields = ["partner", "section"]
    readonly_fields = ["last_run_at", "recent_runs"]
    actions = ["import_now"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Recent runs")
    def recent_runs(self, feed):
        runs = feed.runs.all()[:10] if feed.pk else []
        rows = format_html_join(
            "",
            "<tr><td><a href='{}'>{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            "<td>{}</td><td>{}</td></tr>",
            (
                (
                    reverse("admin:partners_feedrun_change", args=[run.pk]),
                    run.started_at,
                    run.get_status_display(),
                    run.items_new,
                    run.items_updated,
                    run.items_skipped,
                    run.items_failed,
                    run.error.partition("\n")[0],
                )
                for run in runs
            ),
        )
        return format_html(
            "<table><tr><th>Started</th><th>Status</th><th>New</th><th>Updated</th>"
            "<th>Skipped</th><th>Failed</th><th>Error</th></tr>{}</table>",
            rows,
        )

    @admin.action(description="Import now")
    def import_now(self, request, queryset):
        for feed in queryset:
            partner_feed_import.enqueue(feed.pk)
        self.message_user(
            request, f"Queued the import of {len(queryset)} feed(s).", messages.SUCCESS
        )


@admin.register(FeedRun)
class FeedRunAdmin(admin.ModelAdmin):
    list_display = [
        "feed",
        "started_at",
        "finished_at",
        "status",
        "items_new",
        "items_updated",
        "items_skipped",
        "items_failed",
    ]
    list_filter = ["status", "feed__partner"]
    list_select_related = ["feed__partner"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MediaTopic)
class MediaTopicAdmin(admin.ModelAdmin):
    """Which IPTC Media Topic each section's news goes to partners under."""

    list_display = ["section", "code", "name"]
    list_select_related = ["section__parent"]
    search_fields = ["section__name", "code", "name"]
    autocomplete_fields = ["section"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """A partner's webhook: where each change of our news is POSTed, signed
    with the secret shown here (give it to the partner)."""

    list_display = ["url", "partner", "is_active", "delivery_log"]
    list_filter = ["is_active", "partner"]
    list_select_related = ["partner"]
    search_fields = ["url", "partner__name"]
    autocomplete_fields = ["partner"]
    filter_horizontal = ["sections"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Deliveries")
    def delivery_log(self, webhook):
        url = reverse("admin:partners_webhookdelivery_changelist")
        return format_html("<a href='{}?webhook__id__exact={}'>Delivery log</a>", url, webhook.pk)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent to whom, how it went, and "send
    again" for anything a partner missed."""

    list_display = [
        "created_at",
        "partner",
        "article",
        "version",
        "pub_status",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "pub_status", "webhook__partner", "webhook"]
    list_select_related = ["webhook__partner", "article"]
    search_fields = ["=delivery_id", "article__headline", "webhook__url"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "webhook",
        "article",
        "delivery_id",
        "version",
        "pub_status",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "delivered_at",
        "payload",
    ]
    readonly_fields = fields

    @admin.display(description="Partner", ordering="webhook__partner__name")
    def partner(self, delivery):
        return delivery.webhook.partner

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send again", permissions=["change"])
    def send_again(self, request, queryset):
        for delivery in queryset:
            webhook_delivery_resend(delivery=delivery)
        self.message_user(request, f"Sending {len(queryset)} item(s) again.", messages.SUCCESS)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    """Dateline places and their countries, for partners' items."""

    list_display = ["name", "country", "country_code"]
    list_filter = ["country"]
    search_fields = ["name", "country", "country_code"]
