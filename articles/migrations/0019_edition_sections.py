from django.db import migrations

# Each edition's default section tree, by the English slugs (0002): the
# same slug in every edition, so that a section front has its counterparts.
NAMES = {
    "ru": {
        "projects": ("Проекты", "Специальные проекты агентства."),
        "government-bodies": ("Органы власти", "Новости государственных органов."),
        "president": ("Президент", ""),
        "government": ("Правительство", ""),
        "parliament": ("Парламент", ""),
        "politics": ("Политика", ""),
        "economics": ("Экономика", ""),
        "society": ("Общество", ""),
        "regions": ("Регионы", ""),
        "world": ("В мире", ""),
        "culture": ("Культура", ""),
        "sport": ("Спорт", ""),
    },
    "be": {
        "projects": ("Праекты", "Спецыяльныя праекты агенцтва."),
        "government-bodies": ("Органы ўлады", "Навіны дзяржаўных органаў."),
        "president": ("Прэзідэнт", ""),
        "government": ("Урад", ""),
        "parliament": ("Парламент", ""),
        "politics": ("Палітыка", ""),
        "economics": ("Эканоміка", ""),
        "society": ("Грамадства", ""),
        "regions": ("Рэгіёны", ""),
        "world": ("У свеце", ""),
        "culture": ("Культура", ""),
        "sport": ("Спорт", ""),
    },
}


def create_sections(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    main = {s.slug: s for s in Section.objects.filter(edition_id="en")}
    for code, names in NAMES.items():
        made = {}
        # Parents first, in the main tree's order.
        for slug in sorted(
            names, key=lambda slug: main[slug].parent_id is not None if slug in main else True
        ):
            original = main.get(slug)
            if original is None:
                continue
            name, description = names[slug]
            parent = made.get(original.parent.slug) if original.parent_id else None
            made[slug], _ = Section.objects.get_or_create(
                edition_id=code,
                slug=slug,
                defaults={
                    "name": name,
                    "description": description,
                    "position": original.position,
                    "parent": parent,
                },
            )


def remove_sections(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    unused = Section.objects.filter(
        edition_id__in=list(NAMES), articles__isnull=True, secondary_articles__isnull=True
    )
    unused.exclude(parent=None).delete()
    unused.filter(children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_editions")]

    operations = [migrations.RunPython(create_sections, remove_sections)]
