"""Slugs for headlines in any edition's language: Cyrillic transliterated
into Latin letters ("Выставка открылась в Минске" is
"vystavka-otkrylas-v-minske"), since Django's slugify keeps only ASCII and
would leave nothing of it."""

from django.utils.text import slugify

# Russian: the scheme of Russian passports (ICAO Doc 9303), without the
# apostrophes for the hard and soft signs, as Russian news sites write it.
RUSSIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip

# Belarusian: the national system for geographic names (2007, as the UN
# adopted it), its diacritics dropped: г is "h", ў "u", the soft sign and
# the apostrophe nothing.
BELARUSIAN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "ie", "ё": "io",
    "ж": "zh", "з": "z", "і": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip

TABLES = {"ru": RUSSIAN, "be": BELARUSIAN}
# Cyrillic in any other language: the Russian table, and the Belarusian
# letters Russian lacks.
OTHER = {**BELARUSIAN, **RUSSIAN}


def transliterate(text: str, language: str) -> str:
    """``text`` in lower case with its Cyrillic letters in Latin ones, by
    the table of ``language``; other letters left as they are."""
    table = TABLES.get(language, OTHER)
    return "".join(table.get(character, character) for character in text.lower())


def slug_for(text: str, language: str, max_length: int = 200) -> str:
    """A URL slug of ``text``, a headline in ``language`` (an edition's
    code): ASCII letters, digits and hyphens, at most ``max_length`` of
    them and no hyphen at either end; empty when nothing of it can be
    written so (then the caller picks one)."""
    return slugify(transliterate(text, language))[:max_length].strip("-")
