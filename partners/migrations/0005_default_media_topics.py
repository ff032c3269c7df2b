from django.db import migrations

# The default sections' IPTC Media Topics (top-level concepts); child
# sections take their parent's. Sections left out (Projects, Regions, World)
# span every topic: editors map them, or their news goes without one.
DEFAULT_TOPICS = [
    ("government-bodies", "11000000", "politics"),
    ("politics", "11000000", "politics"),
    ("economics", "04000000", "economy, business and finance"),
    ("society", "14000000", "society"),
    ("culture", "01000000", "arts, culture, entertainment and media"),
    ("sport", "15000000", "sport"),
]


def create_topics(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    MediaTopic = apps.get_model("partners", "MediaTopic")
    sections = Section.objects.in_bulk([slug for slug, _, _ in DEFAULT_TOPICS], field_name="slug")
    for slug, code, name in DEFAULT_TOPICS:
        if section := sections.get(slug):
            MediaTopic.objects.get_or_create(section=section, defaults={"code": code, "name": name})


def delete_topics(apps, schema_editor):
    MediaTopic = apps.get_model("partners", "MediaTopic")
    for slug, code, _ in DEFAULT_TOPICS:
        MediaTopic.objects.filter(section__slug=slug, code=code).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_default_sections"),
        ("partners", "0004_media_topics"),
    ]

    operations = [migrations.RunPython(create_topics, delete_topics)]
