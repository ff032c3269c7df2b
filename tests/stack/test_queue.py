"""The stack's task queue: django-tasks on RQ in Redis (django-tasks-rq),
RQ's worker and the scheduler as processes of their own. A publish's task
(the renditions of its new photo) runs on the RQ worker, not in the
database queue."""

import time

import pytest
import requests

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
from articles.images import image_save
from articles.models import Article, Image
buffer = io.BytesIO()
PILImage.new("RGB", (800, 500), (200, 60, 30)).save(buffer, "JPEG")
with transaction.atomic():  # the task is enqueued when this commits
    image = image_save(image=Image(file=ContentFile(buffer.getvalue(), name="queue.jpg"),
                                   alt_text="Queued photo"))
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


def test_the_queues_redis_stopped_saves_go_through_and_the_worker_comes_back(stack):
    """Redis holds the queue (and the cache): stopped, /readyz names both,
    a publish still saves (its task's enqueue fails and is logged), and
    once Redis is back the worker (started again by the Procfile loop)
    runs what is enqueued."""
    ready = f"http://127.0.0.1:{stack.app_ports[0]}/readyz"
    stack.redis.stop()
    try:
        response = requests.get(ready, timeout=20)
        assert response.status_code == 503
        checks = response.json()["checks"]
        assert (checks["queue"], checks["cache"], checks["database"]) == ("down", "down", "ok")
        image_id, _ = stack.shell(PUBLISH_WITH_A_NEW_PHOTO).split()  # exits 0: saved
    finally:
        stack.redis.start()
    deadline = time.monotonic() + 20  # the cache tries Redis again every 2 s
    while (response := requests.get(ready, timeout=20)).status_code != 200:
        assert time.monotonic() < deadline, response.text
        time.sleep(0.5)
    # The renditions whose enqueue failed, enqueued again by hand.
    stack.shell(
        "from articles.tasks import image_renditions_task; "
        f"image_renditions_task.enqueue(image_id={image_id})"
    )
    deadline = time.monotonic() + 90
    while not stack.shell(
        f"from articles.models import Image; print(Image.objects.get(pk={image_id}).renditions_key)"
    ).strip():
        assert time.monotonic() < deadline, "the worker did not come back within 90 s"
        time.sleep(2)
