from django.contrib import admin
from django.db import models

from .models import Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "attribution_label", "country", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = ["name", "attribution_label", "country"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
