"""The committed catalogs (locale/<lang>/LC_MESSAGES/django.po and .mo):
every message translated, none fuzzy, the same placeholders as the English,
and each .mo compiled from its .po as it is now."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["ru", "be"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: {"flags", "msgctxt", "msgid", "msgid_plural",
    "msgstr" or "msgstr[n]"}, obsolete ones (#~) left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, key = {"flags": set()}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, value = line.split(" ", 1)
                entry[key] = ast.literal_eval(value)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def po_catalog(entries: list[dict]) -> dict:
    """The entries as gettext.GNUTranslations keys its catalog."""
    catalog = {}
    for entry in entries:
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            for key, value in entry.items():
                if key.startswith("msgstr["):
                    catalog[(msgid, int(key[7:-1]))] = value
        else:
            catalog[msgid] = entry["msgstr"]
    return catalog


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    entries = po_entries(LOCALE / lang / "LC_MESSAGES" / "django.po")
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert f"Language: {lang}\n" in header["msgstr"]
    nplurals = int(re.search(r"nplurals=(\d+)", header["msgstr"]).group(1))
    assert len(messages) > 100
    for entry in messages:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        values = translations(entry)
        assert values and all(value.strip() for value in values), entry["msgid"]
        if "msgid_plural" in entry:
            assert len(values) == nplurals, entry["msgid"]
        english = set(PLACEHOLDER.findall(entry["msgid"]))
        for value in values:
            assert set(PLACEHOLDER.findall(value)) == english, (entry["msgid"], value)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_committed_mo_is_compiled_from_the_po(lang):
    folder = LOCALE / lang / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    expected = po_catalog(po_entries(folder / "django.po"))
    # msgfmt leaves the template's creation date out of the header.
    expected[""] = re.sub(r"POT-Creation-Date: .*\n", "", expected[""])
    assert compiled._catalog == expected
    assert compiled.info()["language"] == lang


def test_russian_and_belarusian_are_not_the_same_catalog():
    russian, belarusian = (
        po_catalog(po_entries(LOCALE / lang / "LC_MESSAGES" / "django.po")) for lang in LANGUAGES
    )
    assert russian["All news"] == "Все новости" and belarusian["All news"] == "Усе навіны"
    assert russian["alt. month\x04December"] == "декабря"
    assert belarusian["alt. month\x04December"] == "снежня"
    same = [msgid for msgid in russian if msgid and russian[msgid] == belarusian[msgid]]
    assert len(same) < len(russian) // 10, same
