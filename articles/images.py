"""Image files: what an upload becomes before it is stored, and what a save
sets going once it is committed (the model's save does no file work)."""

from django.db import transaction

from .models import Image
from .renditions import oriented_size, reencoded
from .tasks import image_renditions_task


def image_save(*, image: Image) -> Image:
    """Save ``image``; a new upload is first re-encoded without its metadata
    (no GPS position, no comments or appended bytes) and measured. After the
    commit the file it replaced is deleted and, when the picture or its focal
    point changed, its renditions are made by a task. Robust: the save has
    happened, so a queue or storage failure after it is logged, not an error
    page (`manage.py image_renditions` catches up)."""
    replaced = None
    if image.file and not image.file._committed:
        image.file = reencoded(image.file)
        image.filesize = image.file.size
        image.width, image.height = oriented_size(image.file)
        image.renditions_key = ""  # the old renditions show another picture
        if image.pk:
            replaced = Image.objects.filter(pk=image.pk).values_list("file", flat=True).first()
    image.save()
    after_commit = {"using": image._state.db, "robust": True}
    if replaced and replaced != image.file.name:
        storage = image.file.storage
        transaction.on_commit(lambda: storage.delete(replaced), **after_commit)
    if image.renditions_key != image.renditions_source_key:
        transaction.on_commit(lambda: _renditions_enqueue(image), **after_commit)
    return image


def _renditions_enqueue(image: Image) -> None:
    # Not when they were made meanwhile (load_demo makes them at once).
    if image.renditions_key != image.renditions_source_key:
        image_renditions_task.enqueue(image_id=image.pk)
