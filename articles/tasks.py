from django_tasks import task

from .models import Image
from .renditions import image_renditions_generate


@task()
def image_renditions_task(*, image_id: int) -> bool:
    """Make an image's renditions after it was uploaded or its focal point moved."""
    image = Image.objects.filter(pk=image_id).first()
    return image is not None and image_renditions_generate(image=image)
