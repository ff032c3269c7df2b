"""An index on taggit's tagged items by tag, then object: "the newest
articles of these tags" (related news) walks it and stops, where taggit's
own indexes made it read every tagged item of a rare tag (112 ms at a
million articles; 0.4 ms with it, bench/plans/article.txt)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_editors_unlock_logins"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS articles_taggeditem_tag_object_idx "
            "ON taggit_taggeditem (tag_id, content_type_id, object_id)",
            "DROP INDEX IF EXISTS articles_taggeditem_tag_object_idx",
        ),
    ]
