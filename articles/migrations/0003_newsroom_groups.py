from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALIST = {
    "articles": ["add_article", "change_article", "view_article"]
    + ["add_image", "change_image", "view_image", "view_section"],
    "taggit": ["view_tag"],
    "partners": ["view_partner"],
    "auth": ["view_user"],
}
EDITOR = {
    "articles": [
        f"{action}_{model}"
        for model in ("article", "image", "section")
        for action in ("add", "change", "delete", "view")
    ]
    + ["publish_article"],
    "taggit": ["add_tag", "change_tag", "delete_tag", "view_tag"],
    "partners": ["add_partner", "change_partner", "view_partner"],
    "auth": ["view_user"],
}
GROUPS = {"Journalist": JOURNALIST, "Editor": EDITOR}


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in grants.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_default_sections"),
        ("partners", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
