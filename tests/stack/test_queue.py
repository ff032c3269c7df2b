"""The stack's task queue: django-tasks on RQ in Redis (django-tasks-rq),
RQ's worker and the scheduler as processes of their own. A publish's task
(the renditions of its new photo) runs on the RQ worker, not in the
database queue."""

import time

import pytest

from tests.servers import needs_postgres_server, needs_redis_server, needs_s3_server
from tests.stack.conftest import needs_nginx

pytestmark = [
    pytest.mark.stack,
    needs_nginx,
    needs_postgres_server,
    needs_redis_server,
    needs_s3_server,
]

PUBLISH_WITH_A_NEW_PHOTO = """
import io
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image as PILImage
from articles.models import Article, Image, Section
buffer = io.BytesIO()
PILImage.new("RGB", (800, 500), (200, 60, 30)).save(buffer, "JPEG")
with transaction.atomic():  # the task is enqueued when this commits
    image = Image.objects.create(file=ContentFile(buffer.getvalue(), name="queue.jpg"),
                                 alt_text="Queued photo")
    article = Article.objects.published().first()
    article.main_image = image
    article.save()
print(image.pk, article.get_absolute_url())
"""

RQ_JOBS = """
import django_rq
from django_tasks_db.models import DBTaskResult
from rq.job import Job
queue = django_rq.get_queue("default")
ids = queue.finished_job_registry.get_job_ids() + queue.failed_job_registry.get_job_ids()
for job in Job.fetch_many(ids, connection=queue.connection):
    if job and job.func_name == "articles.tasks.image_renditions_task":
        print("job", job.kwargs["image_id"], job.get_status().value, job.worker_name)
print("db", DBTaskResult.objects.count())
"""


def test_a_publishs_task_runs_on_the_rq_worker(stack):
    image_id, path = stack.shell(PUBLISH_WITH_A_NEW_PHOTO).split()
    deadline = time.monotonic() + 60
    while not stack.shell(
        f"from articles.models import Image; print(Image.objects.get(pk={image_id}).renditions_key)"
    ).strip():
        assert time.monotonic() < deadline, "the renditions were not made in 60 s"
        time.sleep(1)
    lines = stack.shell(RQ_JOBS).splitlines()
    jobs = [line.split() for line in lines if line.startswith("job ")]
    ours = [job for job in jobs if job[1] == image_id]
    assert len(ours) == 1, lines
    _, _, status, worker = ours[0]
    assert status == "finished" and worker  # a named RQ worker ran it
    assert "db 0" in lines  # nothing went through the database queue
    # And the page shows the new photo's renditions.
    page = stack.get(path, cookies={"sessionid": "not-a-session"})
    assert page.status_code == 200 and f"/media/renditions/{image_id}/" in page.text
