from django.contrib import admin

from .models import Edition


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "prefix", "host", "search_config", "is_active", "position"]
    list_editable = ["is_active", "position"]
    filter_horizontal = ["staff"]

    def get_readonly_fields(self, request, obj=None):
        # The code is the edition's key in every address reversed.
        return ["code"] if obj else []
