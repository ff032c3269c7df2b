from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.pagecache import EVERY_PAGE
from articles.signals import pages_changed

from .models import Partner, PartnerAPIKey
from .selectors import api_key_forget


@receiver([post_save, post_delete], sender=Partner)
def partner_changed(sender, instance, using="default", **kwargs):
    # A partner's name is in the datelines and attributions of its news, all over the site.
    pages_changed({"partners", EVERY_PAGE}, using=using)
    if instance.pk is not None:
        prefixes = PartnerAPIKey.objects.filter(partner=instance).values_list("prefix", flat=True)
        api_key_forget(prefixes=list(prefixes))


@receiver([post_save, post_delete], sender=PartnerAPIKey)
def api_key_changed(sender, instance, **kwargs):
    # Revoked, expiring sooner, or gone: the next request checks it again.
    api_key_forget(prefixes=[instance.prefix])
