from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import clear_url_caches

from .models import Edition
from .selectors import editions_forget


@receiver([post_save, post_delete], sender=Edition)
def edition_changed(sender, **kwargs):
    editions_forget()


@receiver(setting_changed)
def routing_changed(sender, setting, **kwargs):
    # Reversed addresses are kept per language, with the prefix of the time.
    if setting == "EDITION_ROUTING":
        clear_url_caches()
