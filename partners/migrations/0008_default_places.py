from django.db import migrations

# Datelines the newsroom files from most: (name, country, ISO 3166-1 code).
DEFAULT_PLACES = [
    ("Minsk", "Belarus", "BY"),
    ("Brest", "Belarus", "BY"),
    ("Grodno", "Belarus", "BY"),
    ("Gomel", "Belarus", "BY"),
    ("Mogilev", "Belarus", "BY"),
    ("Vitebsk", "Belarus", "BY"),
    ("Pinsk", "Belarus", "BY"),
    ("Moscow", "Russia", "RU"),
    ("Beijing", "China", "CN"),
    ("Pyongyang", "North Korea", "KP"),
    ("Warsaw", "Poland", "PL"),
    ("Vilnius", "Lithuania", "LT"),
    ("Riga", "Latvia", "LV"),
    ("Kyiv", "Ukraine", "UA"),
    ("Berlin", "Germany", "DE"),
    ("Paris", "France", "FR"),
    ("London", "United Kingdom", "GB"),
    ("Washington", "United States", "US"),
    ("New York", "United States", "US"),
    ("Geneva", "Switzerland", "CH"),
    ("Brussels", "Belgium", "BE"),
]


def create_places(apps, schema_editor):
    Place = apps.get_model("partners", "Place")
    for name, country, code in DEFAULT_PLACES:
        if not Place.objects.filter(name__iexact=name).exists():
            Place.objects.create(name=name, country=country, country_code=code)


def delete_places(apps, schema_editor):
    Place = apps.get_model("partners", "Place")
    for name, country, code in DEFAULT_PLACES:
        Place.objects.filter(name=name, country=country, country_code=code).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0007_places")]

    operations = [migrations.RunPython(create_places, delete_places)]
