from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Image, Section
from .renditions import image_renditions_delete
from .templatetags.articles_tags import SECTION_MENU_KEY


@receiver([post_save, post_delete], sender=Section)
def section_changed(**kwargs):
    cache.delete(SECTION_MENU_KEY)


# A signal rather than Image.delete(): the admin's bulk delete does not call it.
@receiver(post_delete, sender=Image)
def image_deleted(instance, using, **kwargs):
    image_id, storage, name = instance.pk, instance.file.storage, instance.file.name

    def delete_files():
        image_renditions_delete(image_id=image_id, storage=storage)
        if name:
            storage.delete(name)

    transaction.on_commit(delete_files, using=using, robust=True)
