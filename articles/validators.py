from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# What Pillow raises for a file it cannot read as an image.
UNREADABLE = (OSError, ValueError, SyntaxError, EOFError)


def _too_many_pixels(width=None, height=None):
    limit = settings.IMAGE_MAX_PIXELS // 1_000_000
    if width is None:
        return ValidationError(
            "The image has too many pixels; the limit is %(limit)s megapixels.",
            code="too_many_pixels",
            params={"limit": limit},
        )
    return ValidationError(
        "The image is %(width)s × %(height)s pixels; the limit is %(limit)s megapixels.",
        code="too_many_pixels",
        params={"width": width, "height": height, "limit": limit},
    )


def validate_image_upload(file, *, decode=False):
    """Accept only real JPEG, PNG, WebP or GIF images within the size limits.

    The format is read from the file's content, never from its name, and the
    pixel count is checked from the header before anything is decoded, so a
    decompression bomb is refused cheaply. With ``decode`` (the upload form
    field), the pixels are then decoded once, so that a truncated or corrupt
    file is refused here rather than failing when its renditions are made.
    """
    if getattr(file, "_committed", False):
        return  # Already stored: validated when it was uploaded.
    if file.size > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            "The image is %(size)s; the limit is %(limit)s.",
            code="file_too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.IMAGE_MAX_UPLOAD_BYTES),
            },
        )
    file.seek(0)
    try:
        with PILImage.open(file) as image:
            image_format, (width, height) = image.format, image.size
            if image_format not in ALLOWED_IMAGE_FORMATS:
                raise ValidationError(
                    "%(format)s images are not accepted; upload a JPEG, PNG, WebP or GIF image.",
                    code="invalid_image_format",
                    params={"format": image_format or "This kind of"},
                )
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise _too_many_pixels(width, height)
            if decode:
                image.load()
    except PILImage.DecompressionBombError as exc:
        # Pillow's own, larger limit, met while reading the header.
        raise _too_many_pixels() from exc
    except UNREADABLE as exc:
        raise ValidationError(
            "Upload a valid JPEG, PNG, WebP or GIF image.", code="invalid_image"
        ) from exc
    finally:
        file.seek(0)
