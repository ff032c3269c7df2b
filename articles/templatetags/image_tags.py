from django import template

register = template.Library()

# The fallback <img src> for browsers without srcset: about a laptop column.
FALLBACK_WIDTH = 960


@register.inclusion_tag("includes/picture.html")
def picture(image, *, sizes, crop="full", eager=False):
    """An image's responsive markup: WebP renditions with JPEG ones as the
    fallback, `sizes` telling the browser how wide the layout shows it. Until
    the renditions are made, the original. Lazy unless `eager` (the photo a
    visitor sees first)."""
    renditions = image.renditions(crop)
    if not renditions:
        return {
            "image": image,
            "src": image.file.url,
            "eager": eager,
            "width": image.width,
            "height": image.height,
        }
    fallback = next((r for r in reversed(renditions) if r.width <= FALLBACK_WIDTH), renditions[0])
    largest = renditions[-1]
    return {
        "image": image,
        "src": fallback.url,
        "srcset": ", ".join(f"{r.url} {r.width}w" for r in renditions),
        "webp_srcset": ", ".join(f"{r.webp_url} {r.width}w" for r in renditions),
        "sizes": sizes,
        "width": largest.width,
        "height": largest.height,
        "eager": eager,
    }
