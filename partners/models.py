from django.db import models

from articles.validators import validate_image_upload


class Partner(models.Model):
    """A partner agency: we republish its news and it takes ours."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    attribution_label = models.CharField(
        max_length=100,
        help_text='Shown in datelines after our agency\'s name, e.g. "China Daily".',
    )
    website = models.URLField(blank=True)
    country = models.CharField(max_length=100, blank=True)
    logo = models.ImageField(upload_to="partners/", blank=True, validators=[validate_image_upload])
    description = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
