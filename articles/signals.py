from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Section
from .templatetags.articles_tags import SECTION_MENU_KEY


@receiver([post_save, post_delete], sender=Section)
def section_changed(**kwargs):
    cache.delete(SECTION_MENU_KEY)
