"""Media in the stack's S3 bucket (moto in server mode, as MinIO is in
docker-compose.yml), through the real nginx: a photo uploaded through the
admin lands in the bucket, the task worker makes its renditions there, nginx
serves them at /media/; the S3 server stopped leaves the pages up, turns an
upload into a form error and loses nothing."""

import io
import os
import re
import signal
import time
import uuid

import boto3
import pytest
import requests
from PIL import Image as PILImage

from tests.servers import needs_postgres_server, needs_redis_server, needs_s3_server
from tests.stack.conftest import needs_nginx

pytestmark = [
    pytest.mark.stack,
    needs_nginx,
    needs_postgres_server,
    needs_redis_server,
    needs_s3_server,
]

BUCKET = "newsportal-media"
PASSWORD = "stack-media-Password-1"  # noqa: S105


def bucket_keys(stack):
    client = boto3.client(
        "s3",
        endpoint_url=stack.s3_endpoint,
        aws_access_key_id="stack",
        aws_secret_access_key="stack-not-a-secret",  # noqa: S106
        region_name="us-east-1",
    )
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    return {entry["Key"] for page in pages for entry in page.get("Contents", ())}


@pytest.fixture(scope="module")
def newsroom(stack):
    """A requests session logged in to the admin through nginx."""
    username = f"photo-{uuid.uuid4().hex[:6]}"
    stack.shell(
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('{username}', 'p@example.org', '{PASSWORD}')"
    )
    session = requests.Session()
    login = f"{stack.base_url}/admin/login/"
    token = csrf_token(session.get(login, verify=stack.cert, timeout=10).text)
    response = session.post(
        login,
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": login},
        verify=stack.cert,
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def png(colour):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1000, 700), colour).save(buffer, "PNG")
    return buffer.getvalue()


def upload(stack, session, name, colour=(10, 120, 200)):
    add = f"{stack.base_url}/admin/articles/image/add/"
    token = csrf_token(session.get(add, verify=stack.cert, timeout=10).text)
    return session.post(
        add,
        data={"csrfmiddlewaretoken": token, "alt_text": name, "focal_x": "0.5", "focal_y": "0.5"},
        files={"file": (f"{name}.png", png(colour), "image/png")},
        headers={"Referer": add},
        verify=stack.cert,
        timeout=30,
        allow_redirects=False,
    )


def image_row(stack, alt_text):
    """(file name, renditions key) of the photo, or None."""
    out = (
        stack.shell(
            "from articles.models import Image; "
            f"i = Image.objects.filter(alt_text='{alt_text}').first(); "
            "print(i.file.name if i else '-', i.renditions_key or '-' if i else '-', "
            "i.renditions()[1].webp_url if i and i.renditions() else '-', sep='|')"
        )
        .strip()
        .split("|")
    )
    return None if out[0] == "-" else out


def test_a_photo_uploaded_through_the_admin_lands_in_the_bucket_and_its_renditions_are_served(
    stack, newsroom
):
    name = f"upload-{uuid.uuid4().hex[:6]}"
    assert upload(stack, newsroom, name).status_code == 302
    file_name = image_row(stack, name)[0]
    assert file_name in bucket_keys(stack)
    deadline = time.monotonic() + 60
    while (row := image_row(stack, name))[1] == "-" or row[2] == "-":  # the worker's task
        assert time.monotonic() < deadline, "no renditions after 60 s"
        time.sleep(1)
    _, key, url = row
    assert any(k.startswith("renditions/") and f"/{key}/" in k for k in bucket_keys(stack))
    response = stack.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == "image/webp"
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert PILImage.open(io.BytesIO(response.content)).width == 640
    original = stack.get(f"/media/{file_name}")
    assert original.status_code == 200 and original.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert stack.get("/media/images/no-such-photo.jpg").status_code == 404


def test_the_s3_server_stopped_pages_stay_up_uploads_are_a_form_error_nothing_is_lost(
    stack, newsroom
):
    before = bucket_keys(stack)
    s3 = stack.pid("s3")
    os.killpg(s3, signal.SIGSTOP)  # stopped: connections open, nothing answers
    try:
        for path in ["/", "/news/", "/search/?q=minsk"]:
            response = stack.get(path, cookies={"sessionid": "not-a-session"})
            assert response.status_code == 200, path
        assert "/media/renditions/" in stack.get("/").text  # named, not fetched
        name = f"refused-{uuid.uuid4().hex[:6]}"
        started = time.monotonic()
        response = upload(stack, newsroom, name)
        assert response.status_code == 200
        assert "the media storage is not answering" in response.text
        assert time.monotonic() - started < 25
        assert image_row(stack, name) is None  # no row for a file that was not stored
    finally:
        os.killpg(s3, signal.SIGCONT)
    assert bucket_keys(stack) == before
    # Back: the same upload goes through.
    assert upload(stack, newsroom, name).status_code == 302
    assert image_row(stack, name) is not None
