from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Edition
from .selectors import editions_forget


@receiver([post_save, post_delete], sender=Edition)
def edition_changed(sender, **kwargs):
    editions_forget()
