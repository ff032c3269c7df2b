"""The publisher logo and the default share pictures, as raster images.

Search engines want a raster logo (Google: PNG, JPEG or WebP, not SVG) for
an article's ``publisher.logo``, and an image at least 1200 pixels wide in
16:9, 4:3 and 1:1 for every article; an article without a photo gets these.
They are drawn with Pillow from the favicon's mark and the agency's name
(``manage.py brand_images`` draws them again, e.g. for another AGENCY_NAME)
and committed under static/img/.
"""

from pathlib import Path
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFont

ACCENT = "#0b4f8a"  # the site's --accent


class BrandImage(NamedTuple):
    path: str  # under the static files
    width: int
    height: int


LOGO = BrandImage("img/logo.png", 600, 60)
SHARE_IMAGES = (
    BrandImage("img/share-16x9.png", 1200, 675),
    BrandImage("img/share-4x3.png", 1200, 900),
    BrandImage("img/share-1x1.png", 1200, 1200),
)
# The favicon's "N" (static/img/favicon.svg), on its 32-unit grid.
_MARK = [(8, 24), (8, 8), (11.2, 8), (17.6, 18), (17.6, 8), (24, 8), (24, 24), (20.8, 24)]
_MARK += [(14.4, 14), (14.4, 24)]


def _mark(draw: ImageDraw.ImageDraw, left: float, top: float, size: float) -> None:
    unit = size / 32
    draw.rounded_rectangle((left, top, left + size, top + size), radius=6 * unit, fill=ACCENT)
    draw.polygon([(left + x * unit, top + y * unit) for x, y in _MARK], fill="white")


def _draw(image: BrandImage, name: str) -> Image.Image:
    picture = Image.new("RGB", (image.width, image.height), "white")
    draw = ImageDraw.Draw(picture)
    if image == LOGO:
        # Google's logo guideline: fits 600 x 60, the text fills the height.
        _mark(draw, 0, 0, 60)
        font = ImageFont.load_default(size=36)
        draw.text((76, 30), name, fill=ACCENT, font=font, anchor="lm")
    else:
        size = image.height // 3
        _mark(draw, (image.width - size) / 2, image.height / 2 - size * 0.8, size)
        font = ImageFont.load_default(size=64)
        draw.text(
            (image.width / 2, image.height / 2 + size * 0.55),
            name,
            fill=ACCENT,
            font=font,
            anchor="mm",
        )
    return picture


def brand_images_draw(*, folder: Path, name: str) -> list[Path]:
    """Draw the logo and the share pictures into ``folder`` (the static
    files' root); returns the files written."""
    written = []
    for image in (LOGO, *SHARE_IMAGES):
        target = folder / image.path
        target.parent.mkdir(parents=True, exist_ok=True)
        _draw(image, name).save(target, "PNG", optimize=True)
        written.append(target)
    return written
