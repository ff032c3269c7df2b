from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import TaggedItem

from .models import Article, Correction, Image, Section
from .pagecache import content_changed
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


# Whatever a public page shows: a change to any of it makes every cached page stale.
for model in (Article, Section, Correction, Image, TaggedItem):
    post_save.connect(content_changed, sender=model, dispatch_uid=f"pages-{model.__name__}-save")
    post_delete.connect(content_changed, sender=model, dispatch_uid=f"pages-{model.__name__}-del")
for relation in (Article.secondary_sections.through, Article.authors.through):
    m2m_changed.connect(content_changed, sender=relation, dispatch_uid=f"pages-{relation.__name__}")
