from django.db import migrations

# The default section tree: (name, slug, description, children).
DEFAULT_SECTIONS = [
    ("Projects", "projects", "Special projects of the agency.", []),
    (
        "Government Bodies",
        "government-bodies",
        "News of the state's institutions.",
        [
            ("President", "president"),
            ("Government", "government"),
            ("Parliament", "parliament"),
        ],
    ),
    ("Politics", "politics", "", []),
    ("Economics", "economics", "", []),
    ("Society", "society", "", []),
    ("Regions", "regions", "", []),
    ("World", "world", "", []),
    ("Culture", "culture", "", []),
    ("Sport", "sport", "", []),
]


def create_sections(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    for position, (name, slug, description, children) in enumerate(DEFAULT_SECTIONS):
        parent, _ = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position, "description": description}
        )
        for child_position, (child_name, child_slug) in enumerate(children):
            Section.objects.get_or_create(
                slug=child_slug,
                defaults={"name": child_name, "position": child_position, "parent": parent},
            )


def remove_sections(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    slugs = [slug for _, slug, _, _ in DEFAULT_SECTIONS]
    child_slugs = [child for *_, children in DEFAULT_SECTIONS for _, child in children]
    # Only sections nobody has filed an article under.
    Section.objects.filter(
        slug__in=child_slugs, articles__isnull=True, secondary_articles__isnull=True
    ).delete()
    Section.objects.filter(
        slug__in=slugs,
        children__isnull=True,
        articles__isnull=True,
        secondary_articles__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_sections, remove_sections)]
