"""Responsive renditions of the newsroom's photos.

Every image is resized once, when it is saved (by a background task), into a
few widths, each as WebP and as a JPEG fallback, and into 16:9 (the home page
cards), 4:3 and 1:1 crops (for search engines) that keep the editor's focal
point in frame. Pages never make
renditions: they derive the renditions' names from the image's row (id,
``renditions_key``, width and height), so listing photos costs no query and no
storage call. Renditions carry no metadata from the upload (no EXIF: no GPS
position, no camera serial) and are already turned the way EXIF said.

Storage layout: ``renditions/<image id>/<key>/<crop>-<width>.<webp|jpg>``. The
key changes with the file and the focal point, so a browser or proxy never
keeps an outdated crop, and the previous key's folder is deleted once the new
one is in place.
"""

import hashlib
import io
import os
from typing import NamedTuple

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps

ROOT = "renditions"
WIDTHS = (320, 640, 960, 1280, 1920)
# Crops by name, as width:height ratios; "full" is the whole picture. "card"
# (16:9) is the home page's; search engines take 16:9, 4:3 and 1:1 (the
# article's JSON-LD lists the three).
CROPS = {"full": None, "card": (16, 9), "standard": (4, 3), "square": (1, 1)}
SHARE_CROPS = ("card", "standard", "square")
# Part of every key: change it when widths, crops or encoding change, then run
# `manage.py image_renditions` to make the new ones.
VERSION = 2
WEBP_OPTIONS = {"quality": 80, "method": 2}  # method 4+ is 2-3 times slower for ~3% less
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
GPS_IFD = 0x8825  # the EXIF block with the position a photo was taken at
# How an original is re-saved from its decoded pixels, by format: JPEGs with
# their own quantisation tables and subsampling, so they lose no quality.
REENCODE_OPTIONS = {
    "JPEG": {"quality": "keep", "subsampling": "keep"},
    "PNG": {},
    "WEBP": {"quality": 95},
    "GIF": {},
}


class Rendition(NamedTuple):
    width: int
    height: int
    url: str  # JPEG (or, for an image without renditions yet, the original)
    webp_url: str


def rendition_key(file_name: str, focal_x: float, focal_y: float) -> str:
    """What the renditions of this file with this focal point are stored under."""
    source = f"{file_name}|{focal_x:.3f}|{focal_y:.3f}|{VERSION}"
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def crop_size(width: int, height: int, crop: str) -> tuple[int, int]:
    """The largest width × height box of the crop's ratio inside the picture."""
    ratio = CROPS[crop]
    if ratio is None:
        return width, height
    ratio_w, ratio_h = ratio
    return (
        min(width, round(height * ratio_w / ratio_h)),
        min(height, round(width * ratio_h / ratio_w)),
    )


def crop_box(
    width: int, height: int, crop: str, focal_x: float, focal_y: float
) -> tuple[int, int, int, int]:
    """The crop's box, centred on the focal point as far as the edges allow."""
    crop_w, crop_h = crop_size(width, height, crop)
    left = min(max(round(focal_x * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal_y * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def stored_crop(width: int, height: int, crop: str) -> str:
    """A crop that covers the whole picture is not stored twice: it is "full"."""
    return "full" if crop_size(width, height, crop) == (width, height) else crop


def rendition_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """The standard widths below the picture's own, then its own width if it
    is not above the largest standard one: never wider than the original."""
    widths = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        widths.append(width)
    return [(w, max(1, round(w * height / width))) for w in widths]


def rendition_name(image_id: int, key: str, crop: str, width: int, extension: str) -> str:
    return f"{ROOT}/{image_id}/{key}/{crop}-{width}.{extension}"


def rendition_list(image, crop: str = "full") -> list[Rendition]:
    """The image's renditions for a crop, smallest first; empty until made."""
    if not (image.renditions_key and image.width and image.height):
        return []
    stored = stored_crop(image.width, image.height, crop)
    url = image.file.storage.url
    return [
        Rendition(
            w,
            h,
            url(rendition_name(image.pk, image.renditions_key, stored, w, "jpg")),
            url(rendition_name(image.pk, image.renditions_key, stored, w, "webp")),
        )
        for w, h in rendition_sizes(*crop_size(image.width, image.height, crop))
    ]


def oriented_size(file) -> tuple[int, int]:
    """Width and height as the picture is seen: EXIF orientation applied. Read
    from the header (the EXIF of PNG and GIF files is not looked at: it may sit
    after the pixel data)."""
    file.seek(0)
    try:
        with PILImage.open(file) as picture:
            width, height = picture.size
            if picture.format in ("JPEG", "WEBP") and picture.getexif().get(0x0112) in (5, 6, 7, 8):
                width, height = height, width
    finally:
        file.seek(0)
    return width, height


def reencoded(file) -> ContentFile:
    """The upload written anew by Pillow from its decoded image, as it is
    stored: whatever else the file carried (bytes appended after the image,
    comments: a payload a browser or another parser could read) is gone.

    Originals are public too (feeds, the partner API), and a reporter's phone
    records where each photo was taken: the GPS position leaves the EXIF.
    Orientation, the rest of the EXIF, the colour profile, the frames of an
    animation and (for JPEG) the quality stay."""
    file.seek(0)
    try:
        with PILImage.open(file) as picture:
            options = {**REENCODE_OPTIONS[picture.format]}
            if picture.format != "GIF" and (exif := picture.getexif()):
                if exif.get_ifd(GPS_IFD):
                    del exif[GPS_IFD]
                options["exif"] = exif.tobytes()
            if icc_profile := picture.info.get("icc_profile"):
                options["icc_profile"] = icc_profile
            if getattr(picture, "n_frames", 1) > 1:
                options["save_all"] = True
            picture.info.pop("comment", None)
            buffer = io.BytesIO()
            picture.save(buffer, picture.format, **options)
    finally:
        file.seek(0)
    return ContentFile(buffer.getvalue(), name=os.path.basename(file.name))


def _prepared(source: PILImage.Image) -> PILImage.Image:
    """The decoded picture turned upright, in RGB or RGBA, without metadata."""
    picture = ImageOps.exif_transpose(source)
    alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    picture = picture.convert("RGBA" if alpha else "RGB")
    picture.info = {}
    return picture


def _encoded(picture: PILImage.Image, extension: str, icc_profile: bytes | None) -> ContentFile:
    buffer = io.BytesIO()
    if extension == "webp":
        picture.save(buffer, "WEBP", icc_profile=icc_profile, **WEBP_OPTIONS)
    else:
        if picture.mode == "RGBA":  # JPEG has no transparency: on white
            opaque = PILImage.new("RGB", picture.size, "white")
            opaque.paste(picture, mask=picture.getchannel("A"))
            picture = opaque
        picture.save(buffer, "JPEG", icc_profile=icc_profile, **JPEG_OPTIONS)
    return ContentFile(buffer.getvalue())


def _subfolders(storage, folder: str) -> list[str]:
    try:
        return storage.listdir(folder)[0]
    except FileNotFoundError:
        return []


def _folder_delete(storage, folder: str) -> None:
    try:
        names = storage.listdir(folder)[1]
    except FileNotFoundError:
        return
    for name in names:
        storage.delete(f"{folder}/{name}")
    try:  # Storages with real folders (the file system) keep empty ones otherwise.
        os.rmdir(storage.path(folder))
    except (NotImplementedError, OSError):
        pass


def image_renditions_generate(*, image) -> bool:
    """Make the renditions of the image's current file and focal point, switch
    the image over to them and delete the renditions they replace.

    Returns False when there is nothing to do (they are up to date) or when the
    image changed meanwhile (the task enqueued by that change makes them).
    """
    key = image.renditions_source_key
    if not image.file or image.renditions_key == key:
        return False
    storage = image.file.storage
    folder = f"{ROOT}/{image.pk}/{key}"
    _folder_delete(storage, folder)  # the leftovers of an interrupted run
    with image.file.open("rb"), PILImage.open(image.file) as source:
        icc_profile = source.info.get("icc_profile")
        picture = _prepared(source)
    width, height = picture.size
    for crop in CROPS:
        if stored_crop(width, height, crop) != crop:
            continue
        current = picture.crop(crop_box(width, height, crop, image.focal_x, image.focal_y))
        # Largest first, each from the one before: much faster than resizing
        # the original every time, and as sharp at these ratios.
        for w, h in reversed(rendition_sizes(*current.size)):
            current = current.resize((w, h), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
            for extension in ("webp", "jpg"):
                storage.save(
                    rendition_name(image.pk, key, crop, w, extension),
                    _encoded(current, extension, icc_profile),
                )
    # Switch only if the image is still what these renditions show.
    still_the_same = type(image)._default_manager.filter(
        pk=image.pk, file=image.file.name, focal_x=image.focal_x, focal_y=image.focal_y
    )
    if not still_the_same.update(renditions_key=key, width=width, height=height):
        _folder_delete(storage, folder)
        return False
    image.renditions_key, image.width, image.height = key, width, height
    for other in _subfolders(storage, f"{ROOT}/{image.pk}"):
        if other != key:
            _folder_delete(storage, f"{ROOT}/{image.pk}/{other}")
    return True


def image_renditions_delete(*, image_id: int, storage) -> None:
    """Delete every rendition of an image (it was deleted)."""
    folder = f"{ROOT}/{image_id}"
    for key in _subfolders(storage, folder):
        _folder_delete(storage, f"{folder}/{key}")
    _folder_delete(storage, folder)
