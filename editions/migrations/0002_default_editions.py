from django.db import migrations

# The agency's first three editions; others are added in the admin.
EDITIONS = [
    ("en", "English", "", "english", 0),
    ("ru", "Русский", "ru", "russian", 1),
    ("be", "Беларуская", "be", "simple", 2),
]


def create_editions(apps, schema_editor):
    Edition = apps.get_model("editions", "Edition")
    for code, name, prefix, config, position in EDITIONS:
        Edition.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "prefix": prefix,
                "search_config": config,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("editions", "0001_initial")]

    operations = [migrations.RunPython(create_editions, migrations.RunPython.noop)]
