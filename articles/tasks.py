from django_tasks import task

from . import mostread, services
from .models import Image
from .renditions import image_renditions_generate


@task()
def article_publications_announce() -> int:
    """Announce the scheduled articles whose time has come; run every minute
    by the scheduler."""
    return services.article_publications_announce()


@task()
def image_renditions_task(*, image_id: int) -> bool:
    """Make an image's renditions after it was uploaded or its focal point moved."""
    image = Image.objects.filter(pk=image_id).first()
    return image is not None and image_renditions_generate(image=image)


@task()
def most_read_fold() -> int:
    """Move the article views counted in the cache into the database; run
    every minute by the scheduler (settings.PERIODIC_TASKS)."""
    return mostread.most_read_fold()
