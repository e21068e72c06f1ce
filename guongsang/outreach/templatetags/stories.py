from django import template

from guongsang.outreach import photos

register = template.Library()

SIZES = {"card": photos.SIZES_CARD, "story": photos.SIZES_STORY}


@register.simple_tag
def story_img(image, sizes: str = "story", alt: str = "", lazy: bool = True) -> str:
    """``{% story_img image "card" alt %}``: the photo's responsive ``<img>``."""
    return photos.img_tag(image, sizes=SIZES[sizes], alt=alt, lazy=lazy)


@register.filter
def unplaced(images, rendered) -> list:
    """The photos the story's text did not place: shown after it."""
    used = rendered.used if rendered is not None else set()
    return [image for image in images if image.pk not in used]
