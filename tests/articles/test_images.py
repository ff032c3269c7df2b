"""Photos: renditions made on save, focal-point crops, upload checks, markup."""

import io
import json
import re
import struct
import zlib
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks.signals import task_enqueued
from PIL import ExifTags, ImageFile
from PIL import Image as PILImage

from articles.images import image_save
from articles.models import Article, Image, Section
from articles.pagecache import pages_invalidate
from articles.renditions import WIDTHS, rendition_name, rendition_sizes
from articles.validators import validate_image_upload
from tests.articles.test_admin import article_post_data
from tests.clock import NOW
from tests.factories import ArticleFactory, ImageFactory, image_bytes

pytestmark = pytest.mark.django_db

RED = (220, 20, 20)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files of their own per test: image ids repeat from one test to the next."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def saved(django_capture_on_commit_callbacks):
    """Save an image as the admin does: its renditions are made by the task
    enqueued when the transaction commits."""

    def save(image=None, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            if image is None:
                image = ImageFactory(**fields)
            else:
                for name, value in fields.items():
                    setattr(image, name, value)
                image_save(image=image)
        image.refresh_from_db()
        return image

    return save


def photo(size, fmt="JPEG", *, marker=None, exif=None, name="photo.jpg"):
    """A grey picture, with a red square centred on `marker` (x, y) if given."""
    picture = PILImage.new("RGB", size, (128, 128, 128))
    if marker:
        x, y = marker
        picture.paste(RED, (x - 20, y - 20, x + 20, y + 20))
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **({"exif": exif} if exif else {}))
    return ContentFile(buffer.getvalue(), name=name)


def stored(image, crop, width, extension):
    name = rendition_name(image.pk, image.renditions_key, crop, width, extension)
    assert default_storage.exists(name), name
    with default_storage.open(name) as file:
        picture = PILImage.open(file)
        picture.load()
    return picture


def rendition_folders(image_id):
    try:
        return default_storage.listdir(f"renditions/{image_id}")[0]
    except FileNotFoundError:
        return []


def png_declaring(width, height):
    """A small PNG whose header claims width × height pixels: a decompression bomb's shape."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )


# Renditions


def test_renditions_exist_after_save_for_each_width_as_webp_and_jpeg(saved):
    image = saved(file=photo((2000, 1000)))
    assert [r.width for r in image.renditions()] == list(WIDTHS)
    for width in WIDTHS:
        for extension, fmt in [("webp", "WEBP"), ("jpg", "JPEG")]:
            picture = stored(image, "full", width, extension)
            assert (picture.format, picture.size) == (fmt, (width, width // 2))
    # The home cards' 16:9 crop: as wide as the picture allows (1778 px).
    widths = [r.width for r in image.renditions("card")]
    assert widths == [320, 640, 960, 1280, 1778]
    for width in widths:
        assert stored(image, "card", width, "webp").size == (width, round(width * 9 / 16))
        assert stored(image, "card", width, "jpg").format == "JPEG"


@pytest.mark.parametrize(
    "width, expected",
    [(64, [64]), (320, [320]), (700, [320, 640, 700]), (1920, WIDTHS), (6000, WIDTHS)],
)
def test_rendition_widths(width, expected):
    assert [w for w, _ in rendition_sizes(width, width // 2)] == list(expected)


def test_renditions_are_never_wider_than_the_original(saved):
    image = saved(file=photo((800, 450)))
    assert [(r.width, r.height) for r in image.renditions()] == [(320, 180), (640, 360), (800, 450)]
    # 16:9 already: the card crop is the full picture, not stored twice.
    assert image.renditions("card") == image.renditions()
    folder = f"renditions/{image.pk}/{image.renditions_key}"
    # The 4:3 and 1:1 crops for search engines: 600 x 450 and 450 x 450.
    stored = [("full", 320), ("full", 640), ("full", 800), ("standard", 320), ("standard", 600)]
    stored += [("square", 320), ("square", 450)]
    assert sorted(default_storage.listdir(folder)[1]) == sorted(
        f"{crop}-{w}.{ext}" for crop, w in stored for ext in ("webp", "jpg")
    )
    assert [(r.width, r.height) for r in image.share_images] == [(800, 450), (600, 450), (450, 450)]


def test_gps_is_stripped_and_orientation_applied(saved):
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Camera"
    exif[ExifTags.Base.Orientation] = 6  # shown turned 90° clockwise
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (53.0, 54.0, 0.0),
    }
    # Stored 400 × 300, the red marker at the left edge: upright, it is at the top.
    upload = photo((400, 300), marker=(20, 150), exif=exif.tobytes())
    assert PILImage.open(upload).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # it was there
    image = saved(file=upload)
    with image.file.open("rb"):
        original = PILImage.open(image.file)
        # The stored original has lost its position, and nothing else.
        assert not original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert original.getexif()[ExifTags.Base.Orientation] == 6
        assert original.getexif()[ExifTags.Base.Make] == "Camera"
        r, g, b = original.convert("RGB").getpixel((20, 150))
        assert r > 180 and g < 80 and b < 80
    assert image.filesize == image.file.size

    assert (image.width, image.height) == (300, 400)
    for extension in ("webp", "jpg"):
        picture = stored(image, "full", 300, extension)
        assert picture.size == (300, 400)
        assert "exif" not in picture.info
        assert not picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.Make not in picture.getexif()
        r, g, b = picture.convert("RGB").getpixel((150, 20))
        assert r > 180 and g < 80 and b < 80  # the marker, now at the top


@pytest.mark.parametrize("fmt, name", [("PNG", "p.png"), ("WEBP", "p.webp")])
def test_gps_is_stripped_from_png_and_webp_originals(saved, fmt, name):
    exif = PILImage.Exif()
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N"}
    image = saved(file=photo((64, 48), fmt, exif=exif.tobytes(), name=name))
    with image.file.open("rb"):
        original = PILImage.open(image.file)
        assert original.format == fmt and original.size == (64, 48)
        assert not original.getexif().get_ifd(ExifTags.IFD.GPSInfo)


@pytest.mark.parametrize("fmt, name", [("JPEG", "p.jpg"), ("PNG", "p.png"), ("GIF", "p.gif")])
def test_an_appended_payload_does_not_survive_the_upload(saved, fmt, name):
    clean = photo((64, 48), fmt, name=name).read()
    payload = b"<script>alert(document.domain)</script>"
    upload = ContentFile(clean + payload, name=name)
    validate_image_upload(upload, decode=True)  # a valid image, as far as a reader sees
    image = saved(file=upload)
    with image.file.open("rb"):
        stored_bytes = image.file.read()
    assert b"<script" not in stored_bytes
    assert image.filesize == len(stored_bytes)
    original, before = PILImage.open(io.BytesIO(stored_bytes)), PILImage.open(io.BytesIO(clean))
    assert original.format == fmt and original.size == before.size
    r, g, b = original.convert("RGB").getpixel((5, 5))
    assert (r, g, b) == before.convert("RGB").getpixel((5, 5)) or fmt == "JPEG"
    if fmt == "JPEG":  # the same quantisation tables: no quality lost
        assert original.quantization == before.quantization


def test_a_jpeg_comment_does_not_survive_the_upload(saved):
    buffer = io.BytesIO()
    PILImage.new("RGB", (32, 32), RED).save(buffer, "JPEG", comment=b"<script>x</script>")
    image = saved(file=ContentFile(buffer.getvalue(), name="c.jpg"))
    with image.file.open("rb"):
        assert b"<script" not in image.file.read()


def test_the_colour_profile_and_animation_stay(saved):
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    PILImage.new("RGB", (32, 32), RED).save(buffer, "JPEG", icc_profile=icc)
    image = saved(file=ContentFile(buffer.getvalue(), name="icc.jpg"))
    with image.file.open("rb"):
        assert PILImage.open(image.file).info["icc_profile"] == icc
    frames = [PILImage.new("RGB", (16, 16), (c, 0, 0)) for c in (50, 150, 250)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert PILImage.open(io.BytesIO(buffer.getvalue())).n_frames == 3
    image = saved(file=ContentFile(buffer.getvalue(), name="a.gif"))
    with image.file.open("rb"):
        assert PILImage.open(image.file).n_frames == 3


@pytest.mark.parametrize(
    "size, marker, focal",
    [
        ((1600, 400), (1440, 200), {"focal_x": 0.9}),  # panorama: the crop is 711 of 1600 px
        ((600, 1600), (300, 160), {"focal_y": 0.1}),  # portrait: 338 of 1600 px
    ],
)
def test_the_focal_point_stays_inside_a_tight_crop(saved, size, marker, focal):
    centred = saved(file=photo(size, marker=marker))
    chosen = saved(file=photo(size, marker=marker), **focal)

    def red_pixels(image):
        largest = image.renditions("card")[-1]
        picture = stored(image, "card", largest.width, "jpg")
        return sum(1 for r, g, b in picture.get_flattened_data() if r > 180 and g < 80 and b < 80)

    assert red_pixels(centred) == 0  # a centred crop loses it...
    assert red_pixels(chosen) > 1000  # ...the focal point keeps it, whole (40 × 40 px)


def test_moving_the_focal_point_makes_new_renditions_and_deletes_the_old(saved):
    image = saved(file=photo((1000, 500)))
    old_key = image.renditions_key
    image = saved(image, focal_x=0.1)
    assert image.renditions_key not in ("", old_key)
    assert rendition_folders(image.pk) == [image.renditions_key]
    stored(image, "card", 889, "webp")


def test_a_new_file_replaces_the_renditions_and_the_original(saved):
    image = saved(file=photo((1000, 500)))
    old_file, old_key = image.file.name, image.renditions_key
    image = saved(image, file=photo((700, 700), name="other.jpg"))
    assert (image.width, image.height) == (700, 700)
    assert image.renditions_key != old_key
    assert rendition_folders(image.pk) == [image.renditions_key]
    assert not default_storage.exists(old_file)
    assert stored(image, "full", 700, "jpg").size == (700, 700)


def test_deleting_an_image_deletes_its_files(saved, django_capture_on_commit_callbacks):
    image = saved(file=photo((700, 400)))
    image_id, original = image.pk, image.file.name
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert rendition_folders(image_id) == []
    assert not default_storage.exists(original)


def test_editing_the_caption_keeps_the_renditions(saved, django_capture_on_commit_callbacks):
    image = saved(file=photo((700, 400)))
    enqueued = []

    def record(sender, task_result, **kwargs):
        enqueued.append(task_result.task)

    task_enqueued.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            image.caption = "New caption"
            image_save(image=image)
    finally:
        task_enqueued.disconnect(record)
    assert enqueued == []


def test_the_command_makes_missing_renditions(capsys):
    image = ImageFactory(file=photo((700, 400)))  # committed without running the task
    assert image.renditions() == []
    call_command("image_renditions")
    image.refresh_from_db()
    assert [r.width for r in image.renditions()] == [320, 640, 700]
    assert "Made renditions of 1 image(s)" in capsys.readouterr().out


def test_demo_photos_get_renditions():
    call_command("load_demo", articles=10, days=2)
    assert Image.objects.exists()
    assert not Image.objects.filter(renditions_key="").exists()


# Uploads


def noisy_jpeg():
    buffer = io.BytesIO()
    PILImage.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG")
    assert len(buffer.getvalue()) > 8000
    return buffer.getvalue()


OVERSIZED = image_bytes("PNG", size=(400, 400)) + b"\0" * 2000
BAD_UPLOADS = {
    # file name, content, what the form says
    "pixel bomb": ("huge.png", png_declaring(20000, 20000), "megapixels"),
    "html named .jpg": ("photo.jpg", b"<!doctype html><html><body>Hi</body></html>", "valid"),
    "svg": ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "valid"),
    "truncated jpeg": ("cut.jpg", noisy_jpeg()[:3000], "valid"),  # only decoding finds out
    "over the size limit": ("big.png", OVERSIZED, "limit"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_uploads_are_refused_by_the_photo_form(editor_client, settings, case):
    settings.IMAGE_MAX_UPLOAD_BYTES = len(OVERSIZED) - 1
    name, content, message = BAD_UPLOADS[case]
    response = editor_client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile(name, content),
            "alt_text": "x",
            "focal_x": 0.5,
            "focal_y": 0.5,
        },
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["file"])
    assert not Image.objects.exists()


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_uploads_are_refused_by_the_article_form(editor_client, settings, case):
    settings.IMAGE_MAX_UPLOAD_BYTES = len(OVERSIZED) - 1
    name, content, message = BAD_UPLOADS[case]
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_post_data(new_image=SimpleUploadedFile(name, content), new_image_alt="x"),
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["new_image"])
    assert not Image.objects.exists() and not Article.objects.exists()


@pytest.mark.parametrize("size", [(20000, 20000), (8000, 8000)])
def test_a_pixel_bomb_is_refused_from_its_header_without_decoding(monkeypatch, size):
    monkeypatch.setattr(ImageFile.ImageFile, "load", mock.Mock(side_effect=AssertionError))
    upload = SimpleUploadedFile("bomb.png", png_declaring(*size))
    with pytest.raises(ValidationError) as refused:
        validate_image_upload(upload, decode=True)
    assert refused.value.code == "too_many_pixels"


def test_an_upload_through_the_photo_form_gets_renditions(
    editor_client, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("p.png", photo((900, 600), "PNG").read())
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_image_add"),
            {"file": upload, "alt_text": "Port", "focal_x": "0.2", "focal_y": "0.7"},
        )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.focal_x, image.focal_y, image.width) == (0.2, 0.7, 900)
    assert [r.width for r in image.renditions()] == [320, 640, 900]


# The admin's focal-point picker


def test_photo_form_offers_the_focal_point_picker(journalist_client, saved):
    image = saved(file=photo((1000, 500)))
    page = journalist_client.get(reverse("admin:articles_image_change", args=[image.pk]))
    html = page.content.decode()
    assert "data-focal-picker" in html and "js/admin-focal-point.js" in html
    assert image.renditions()[1].url in html  # the 640 px rendition, not the original
    assert 'name="focal_x"' in html and 'type="number"' in html


def test_focal_point_is_saved_from_the_number_fields(journalist_client, saved):
    image = saved(file=photo((1000, 500)))
    url = reverse("admin:articles_image_change", args=[image.pk])
    data = {"alt_text": "x", "caption": "", "credit": "", "focal_y": "0.5"}
    response = journalist_client.post(url, {**data, "focal_x": "1.5"})
    assert "focal_x" in response.context["adminform"].form.errors
    response = journalist_client.post(url, {**data, "focal_x": "0.25"})
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.focal_x == 0.25


# Public pages


def test_article_page_serves_responsive_renditions(client, saved, django_assert_num_queries):
    image = saved(file=photo((2000, 1000)), alt_text="The port at dawn")
    article = ArticleFactory(main_image=image, published_at=NOW - timedelta(hours=1))
    page = client.get(article.get_absolute_url()).content.decode()
    figure = page.split('<figure class="article__image">')[1].split("</figure>")[0]
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', figure)
    assert webp[1] == ", ".join(f"{r.webp_url} {r.width}w" for r in image.renditions())
    img = re.search(r"<img [^>]+>", figure)[0]
    assert f'srcset="{", ".join(f"{r.url} {r.width}w" for r in image.renditions())}"' in img
    assert f'src="{image.renditions()[2].url}"' in img  # 960 px for old browsers
    assert 'width="1920" height="960"' in img and 'alt="The port at dawn"' in img
    assert f'sizes="{webp[2]}"' in img
    assert 'loading="lazy"' not in img  # the page's main picture loads at once
    largest = image.renditions()[-1].url
    assert f'<meta property="og:image" content="http://testserver{largest}">' in page
    assert '<meta property="og:image:width" content="1920">' in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    # Search engines get the 16:9, 4:3 and 1:1 crops, each at its largest.
    assert [(i["width"], i["height"]) for i in ld["image"]] == [
        (1778, 1000),
        (1333, 1000),
        (1000, 1000),
    ]
    assert [i["url"] for i in ld["image"]] == [
        f"http://testserver{image.renditions(crop)[-1].url}"
        for crop in ("card", "standard", "square")
    ]


def test_home_cards_use_the_focal_crop_and_load_lazily(client, saved):
    for n in range(3):
        ArticleFactory(
            main_image=saved(file=photo((2000, 1000))),
            is_top_story=True,
            published_at=NOW - timedelta(hours=n + 1),
        )
    page = client.get("/").content.decode()
    cards = re.findall(r'<article class="card.*?</article>', page, re.S)
    assert len(cards) == 3
    for n, card in enumerate(cards):
        assert "/card-320.webp 320w" in card and "/card-1778.jpg 1778w" in card
        assert 'width="1778" height="1000"' in card
        assert ('loading="lazy"' in card) == (n > 0)


def test_pages_never_make_renditions(client):
    # The task has not run (no commit): the page shows the original meanwhile.
    image = ImageFactory(file=photo((700, 400)))
    article = ArticleFactory(main_image=image, published_at=NOW - timedelta(hours=1))
    page = client.get(article.get_absolute_url()).content.decode()
    figure = page.split('<figure class="article__image">')[1].split("</figure>")[0]
    assert f'<img src="{image.file.url}" width="700" height="400"' in figure
    assert "srcset" not in figure
    assert rendition_folders(image.pk) == []


def test_renditions_add_no_queries(client, django_assert_num_queries):
    for n in range(6):
        ArticleFactory(
            main_image=ImageFactory(),
            is_top_story=True,
            published_at=NOW - timedelta(hours=n + 1),
        )
    Image.objects.update(renditions_key="0123456789ab")  # as if made; files not needed here
    article = Article.objects.first()
    client.get("/")
    pages_invalidate([f"section-{pk}" for pk in Section.objects.values_list("pk", flat=True)])
    with django_assert_num_queries(14):  # as pinned in test_views
        assert "card-64.webp" in client.get("/").content.decode()
    client.get(article.get_absolute_url())
    pages_invalidate([f"article-{article.pk}"])  # its kept parts rendered again
    with django_assert_num_queries(8):  # as pinned in test_views
        assert "full-64.webp" in client.get(article.get_absolute_url()).content.decode()
