import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.images import image_save
from articles.models import Article, Image, Section
from partners.models import Partner


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("pw")


def staff_user(group_name, username=None):
    user = UserFactory(username=username or group_name.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def default_content_restore():
    """The editions and section trees the migrations create, put back after
    a test that committed (transaction=True) emptied the database."""
    import importlib

    from django.apps import apps

    def migration(name):
        return importlib.import_module(name)

    migration("editions.migrations.0002_default_editions").create_editions(apps, None)
    if not Section.objects.filter(edition="en").exists():
        migration("articles.migrations.0002_default_sections").create_sections(apps, None)
    migration("articles.migrations.0019_edition_sections").create_sections(apps, None)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner Agency {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    attribution_label = factory.Sequence(lambda n: f"PA{n}")
    country = "Testland"


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="photo.jpg"))
    alt_text = "A red rectangle"
    caption = "Caption of the photo"
    credit = "Staff photographer"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the newsroom saves one (articles/images.py).
        return image_save(image=model_class(*args, **kwargs))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"headline-number-{n}")
    lead = "A lead that sums the story up."
    body = "<p>First paragraph.</p><p>Second paragraph.</p>"
    dateline_place = "MINSK"
    section = factory.LazyFunction(lambda: Section.objects.get(edition="en", slug="politics"))
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


def article_post_data(article=None, **overrides):
    """The fields the article change form submits, as a browser would."""
    section = Section.objects.get(edition="en", slug="economics")
    data = {
        "headline": "Exports grow",
        "slug": "exports-grow",
        "lead": "Exports rose.",
        "body": "<p>Body text.</p>",
        "dateline_place": "MINSK",
        "section": section.pk,
        "status": "draft",
        "new_tags": "",
        "new_image_alt": "",
        "new_image_caption": "",
        "new_image_credit": "",
        "lock_version": 0,
        "corrections-TOTAL_FORMS": 0,
        "corrections-INITIAL_FORMS": 0,
    }
    if article is not None:
        data.update(
            headline=article.headline,
            slug=article.slug,
            lead=article.lead,
            body=article.body,
            section=article.section_id,
            status=article.status,
            lock_version=Article.objects.get(pk=article.pk).version,
        )
        if article.published_at:
            local = timezone.localtime(article.published_at)
            data.update(
                {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}
            )
    data.update(overrides)
    return data
