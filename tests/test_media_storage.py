"""Media in an S3 bucket (MEDIA_STORAGE=s3), against a real S3-compatible
server process on loopback (moto in server mode, tests/servers.py): uploads
through the admin land in the bucket with their renditions, pages name them
at MEDIA_URL, and a bucket that is down or hung leaves the pages up, turns
uploads into a form error and loses nothing."""

import io
import time
import uuid
from datetime import timedelta

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Article, Image
from tests.clock import NOW
from tests.factories import ArticleFactory, article_post_data
from tests.servers import S3Server, needs_s3_server

pytestmark = [pytest.mark.django_db, needs_s3_server]


def s3_storages(settings, endpoint, bucket, timeout=5.0):
    """The settings' STORAGES with media in ``bucket`` (as MEDIA_STORAGE=s3 makes them)."""
    from botocore.config import Config

    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "access_key": "test",
        "secret_key": "test",
        "region_name": "us-east-1",
        "querystring_auth": False,
        "file_overwrite": False,
        "default_acl": None,
        "client_config": Config(
            s3={"addressing_style": "path"},
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"max_attempts": 2, "mode": "standard"},
        ),
    }
    default = {"BACKEND": "newsportal.storage.MediaS3Storage", "OPTIONS": options}
    return {**settings.STORAGES, "default": default}


@pytest.fixture(scope="module")
def s3():
    server = S3Server(start_port=9570)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3, settings):
    name = f"media-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(name)
    settings.STORAGES = s3_storages(settings, s3.endpoint, name)
    return name


@pytest.fixture
def own_s3(settings):
    """A server of the test's own, to stop or pause, with a bucket set up."""
    server = S3Server(start_port=9580)
    server.start()
    server.bucket = "media"
    server.create_bucket(server.bucket)
    settings.STORAGES = s3_storages(settings, server.endpoint, server.bucket, timeout=1.0)
    yield server
    server.stop()


def png(size=(900, 600)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (40, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def upload_photo(client, capture, name="port.png", size=(900, 600)):
    with capture(execute=True):  # the renditions task runs when the save commits
        return client.post(
            reverse("admin:articles_image_add"),
            {"file": SimpleUploadedFile(name, png(size)), "alt_text": "The port"}
            | {"focal_x": "0.5", "focal_y": "0.5"},
        )


def public_object(endpoint, bucket, url):
    """What an anonymous reader gets for a /media/ URL from the bucket (what
    nginx passes /media/ to), or None."""
    assert url.startswith("/media/"), url
    response = requests.get(f"{endpoint}/{bucket}/{url.removeprefix('/media/')}", timeout=5)
    return response if response.status_code == 200 else None


def test_a_photo_uploaded_through_the_admin_lands_in_the_bucket_with_its_renditions(
    s3, bucket, editor_client, client, django_capture_on_commit_callbacks
):
    response = upload_photo(editor_client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    image = Image.objects.get()
    keys = s3.keys(bucket)
    assert image.file.name in keys and image.file.name.startswith("images/")
    made = image.renditions()
    assert [r.width for r in made] == [320, 640, 900]
    for rendition in made:
        for url in (rendition.url, rendition.webp_url):
            assert url.removeprefix("/media/") in keys
    # The article page names them at MEDIA_URL, and the bucket serves them.
    article = ArticleFactory(main_image=image, published_at=NOW - timedelta(hours=1))
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert made[-1].webp_url in page.content.decode()
    served = public_object(s3.endpoint, bucket, made[1].webp_url)
    assert served is not None
    picture = PILImage.open(io.BytesIO(served.content))
    assert (picture.format, picture.width) == ("WEBP", 640)


def test_deleting_a_photo_deletes_its_objects(
    s3, bucket, editor_client, django_capture_on_commit_callbacks
):
    upload_photo(editor_client, django_capture_on_commit_callbacks)
    image = Image.objects.get()
    # The original, and its crops in 3 widths as WebP and JPEG.
    folder = f"renditions/{image.pk}/{image.renditions_key}/"
    renditions = [key for key in s3.keys(bucket) if key.startswith(folder)]
    assert s3.keys(bucket) == sorted([image.file.name, *renditions])
    assert len(renditions) >= 2 * 3 * 2
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert s3.keys(bucket) == []


def test_the_bucket_stopped_pages_stay_up_and_an_upload_is_a_form_error(
    own_s3, editor_client, client, django_capture_on_commit_callbacks
):
    upload_photo(editor_client, django_capture_on_commit_callbacks)
    image = Image.objects.get()
    article = ArticleFactory(main_image=image, published_at=NOW - timedelta(hours=1))
    own_s3.stop()

    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert image.renditions()[0].webp_url in page.content.decode()  # named, not fetched
    assert client.get("/").status_code == 200

    response = upload_photo(editor_client, django_capture_on_commit_callbacks, name="second.png")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "the media storage is not answering" in errors["file"][0]
    assert Image.objects.count() == 1  # no row for a file that is not stored

    # The article form keeps what the editor typed and saves nothing.
    data = article_post_data(
        article,
        headline="A new headline",
        new_image=SimpleUploadedFile("third.png", png()),
        new_image_alt="Third",
    )
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "the media storage is not answering" in form.errors["new_image"][0]
    assert form["headline"].value() == "A new headline"
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.main_image_id) == (article.headline, image.pk)
    assert Image.objects.count() == 1


def test_the_bucket_hung_an_upload_fails_within_seconds_and_nothing_is_lost(
    own_s3, editor_client, client, django_capture_on_commit_callbacks
):
    upload_photo(editor_client, django_capture_on_commit_callbacks)
    image = Image.objects.get()
    before = own_s3.keys(own_s3.bucket)
    own_s3.pause()
    try:
        started = time.monotonic()
        response = upload_photo(editor_client, django_capture_on_commit_callbacks, name="b.png")
        took = time.monotonic() - started
        assert response.status_code == 200
        assert "file" in response.context["adminform"].form.errors
        assert took < 15, took  # the client's timeouts, not botocore's minute
        change = editor_client.get(reverse("admin:articles_image_change", args=[image.pk]))
        assert change.status_code == 200  # names the photo's files, never fetches them
    finally:
        own_s3.resume()
    assert own_s3.keys(own_s3.bucket) == before
    assert public_object(own_s3.endpoint, own_s3.bucket, image.renditions()[0].url) is not None
    # Back up: the same upload goes through.
    response = upload_photo(editor_client, django_capture_on_commit_callbacks, name="b.png")
    assert response.status_code == 302
    assert Image.objects.count() == 2


def test_media_storage_s3_is_chosen_by_the_environment_and_a_wrong_value_refused():
    from tests.test_settings import run_manage

    script = (
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, "
        "s.endpoint_url, s.url('images/a b.jpg'))"
    )
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        script,
        DEBUG="true",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="news-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        MEDIA_URL="https://cdn.example.org/media/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "MediaS3Storage",
        "news-media",
        "http://127.0.0.1:9000",
        "https://cdn.example.org/media/images/a%20b.jpg",
    ]
    result = run_manage("check", DEBUG="true", MEDIA_STORAGE="ftp")
    assert result.returncode != 0 and "MEDIA_STORAGE is 'filesystem' or 's3'" in result.stderr


def test_media_bucket_makes_the_bucket_readable_by_anyone(s3, settings):
    from django.core.management import call_command

    name = f"fresh-{uuid.uuid4().hex[:8]}"
    settings.STORAGES = s3_storages(settings, s3.endpoint, name)
    call_command("media_bucket")
    call_command("media_bucket")  # again: nothing to do, no error
    s3.client().put_object(Bucket=name, Key="images/x.txt", Body=b"x")
    assert public_object(s3.endpoint, name, "/media/images/x.txt").content == b"x"
