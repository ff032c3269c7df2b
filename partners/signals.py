from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.pagecache import EVERY_PAGE
from articles.signals import pages_changed

from .models import Partner


@receiver([post_save, post_delete], sender=Partner)
def partner_changed(sender, using="default", **kwargs):
    # A partner's name is in the datelines and attributions of its news, all over the site.
    pages_changed({"partners", EVERY_PAGE}, using=using)
