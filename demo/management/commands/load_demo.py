"""Demo content for a first look at the portal: partners, a few hundred
English articles over the last 60 days, photos, and stories in the Russian
and Belarusian editions (demo/stories.py: some translations of English
ones, some their own). Loaded once; a second run changes nothing. The text
is generated here from phrases written for this project."""

import io
import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw

from articles.images import image_save
from articles.models import Article, Correction, Image, Section
from articles.renditions import image_renditions_generate
from demo.stories import STORIES
from partners.models import Partner

PARTNERS = [
    ("Northern Lights News Service", "northern-lights", "NLNS", "Norway", "OSLO"),
    ("Danube Press Agency", "danube-press", "Danube Press", "Hungary", "BUDAPEST"),
    ("Silk Road Herald", "silk-road-herald", "Silk Road Herald", "Uzbekistan", "TASHKENT"),
    ("Pacific Wire", "pacific-wire", "Pacific Wire", "Viet Nam", "HANOI"),
    ("Andes Information Agency", "andes-info", "AIA", "Peru", "LIMA"),
]
AUTHORS = [
    ("anna.kovalenko", "Anna", "Kovalenko"),
    ("pavel.grinevich", "Pavel", "Grinevich"),
    ("olga.sidorenko", "Olga", "Sidorenko"),
    ("dmitry.lapin", "Dmitry", "Lapin"),
    ("irina.mazur", "Irina", "Mazur"),
]
HOME_PLACES = ["MINSK", "BREST", "GRODNO", "GOMEL", "MOGILEV", "VITEBSK", "PINSK", "LIDA"]
REGIONS = ["Brest Oblast", "Grodno Oblast", "Gomel Oblast", "Mogilev Oblast", "Vitebsk Oblast"]

# Per section: headline patterns, leads and the tags the stories carry.
TOPICS = {
    "president": (
        [
            "President meets {region} governor to discuss harvest results",
            "Head of state signs decree on support for young families",
            "President holds talks with visiting delegation on trade",
        ],
        "The head of state focused on practical results for people in {region}.",
        ["president", "decree", "talks"],
    ),
    "government": (
        [
            "Government approves programme for {industry} until 2030",
            "Cabinet discusses prices for socially important goods",
            "Prime minister inspects new {industry} plant in {region}",
        ],
        "The Council of Ministers reviewed progress on {industry} in {region}.",
        ["government", "programme", "{industry}"],
    ),
    "parliament": (
        [
            "Lower house passes bill on {industry} in first reading",
            "Parliamentary commission hears report on regional budgets",
            "Deputies meet voters in {region}",
        ],
        "Members of parliament debated amendments proposed by the regions.",
        ["parliament", "law"],
    ),
    "projects": (
        [
            "Our land, our people: the craftsmen of {region}",
            "Year of quality: how {region} builds its {industry}",
            "Roads of memory: a village museum opens in {region}",
        ],
        "A new instalment of the agency's special project.",
        ["special project", "{region}"],
    ),
    "politics": (
        [
            "Foreign ministry holds consultations with neighbours",
            "Central election commission announces schedule",
            "Round table in {region} discusses local self-government",
        ],
        "Officials outlined next steps and answered questions from the press.",
        ["politics", "diplomacy"],
    ),
    "economics": (
        [
            "Exports of {industry} products up {percent}% in January-{month}",
            "{region} attracts new investors in {industry}",
            "National bank keeps refinancing rate unchanged",
        ],
        "Figures published on {weekday} point to steady growth in {industry}.",
        ["economy", "{industry}", "exports"],
    ),
    "society": (
        [
            "New school opens in {region} for {number} pupils",
            "Volunteers plant {number} trees along the river in {region}",
            "Health ministry launches vaccination campaign",
        ],
        "Residents of {region} welcomed the initiative.",
        ["society", "education", "health"],
    ),
    "regions": (
        [
            "{region} completes reconstruction of central square",
            "Farmers in {region} begin sowing spring crops",
            "New bus routes link villages of {region}",
        ],
        "Local authorities in {region} reported on the work done.",
        ["{region}", "infrastructure"],
    ),
    "world": (
        [
            "Leaders gather for regional summit on energy",
            "UN agency reports record humanitarian needs",
            "Storms disrupt shipping along the coast",
        ],
        "International observers said talks would continue next week.",
        ["world", "international"],
    ),
    "culture": (
        [
            "National theatre premieres new production",
            "Folk festival in {region} draws {number} guests",
            "Museum in {region} shows restored icons",
        ],
        "Organisers prepared a programme for visitors of all ages.",
        ["culture", "festival", "museum"],
    ),
    "sport": (
        [
            "National team wins {number} medals at European championship",
            "Hockey club from {region} reaches the final",
            "Biathletes prepare for the World Cup stage",
        ],
        "Coaches praised the athletes' preparation ahead of the season.",
        ["sport", "hockey", "biathlon"],
    ),
}
INDUSTRIES = ["dairy", "machine building", "IT", "timber", "tourism", "logistics", "agriculture"]
PARAGRAPHS = [
    "According to officials, the work was carried out on schedule and within the budget "
    "planned at the start of the year. Similar projects are expected in other districts.",
    "Specialists noted that demand remained high throughout the period. Enterprises of "
    "{region} increased output and hired {number} new employees.",
    "“We see real interest from people and from business,” a spokesperson told the agency. "
    "“Our task now is to keep the pace and to listen to what residents need.”",
    "The next meeting on the subject is scheduled for {weekday}. Journalists will be able to "
    "ask questions at a briefing after it.",
    "Experts believe the figures reflect long-term trends rather than seasonal swings. "
    "They recommend paying attention to training and to modern equipment.",
    "In {region}, {number} families have already benefited from the programme. Applications "
    "are accepted at local executive committees and online.",
]
CAPTIONS = [
    "View of the central square in {region}",
    "Participants of the meeting",
    "Workers at a {industry} enterprise",
    "Morning over the fields of {region}",
    "Visitors at the exhibition",
]
PHOTOGRAPHERS = ["Sergei Holub", "Maria Petrovich", "Alexei Zhuk", "Tatiana Bely"]
PALETTE = [(11, 79, 138), (196, 61, 44), (46, 125, 50), (245, 166, 35), (90, 60, 140)]


def _photo(rng, index):
    """A simple generated picture: a two-colour gradient with a few shapes."""
    width, height = 1280, 720
    top, bottom = rng.sample(PALETTE, 2)
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(6):
        x, y, size = rng.randrange(width), rng.randrange(height), rng.randrange(80, 320)
        shade = tuple(min(255, c + 60) for c in rng.choice(PALETTE))
        draw.ellipse([x, y, x + size, y + size], outline=shade, width=8)
    draw.text((40, height - 60), f"Demo photo {index + 1}", fill=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name=f"demo-{index + 1:03d}.jpg")


class Command(BaseCommand):
    help = "Load demo partners, articles and photos, once (does nothing if articles exist)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=300)
        parser.add_argument("--days", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *, articles, days, seed, **options):
        if Article.objects.exists():
            self.stdout.write("Articles already exist; demo content not loaded again.")
            return
        rng = random.Random(seed)
        with transaction.atomic():
            count = self._load(rng, articles, days)
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} demo articles."))

    def _load(self, rng, total, days):
        partners = [
            Partner.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "attribution_label": label,
                    "country": country,
                    "description": f"{name} is a news agency based in {country}.",
                    # One licence forbids passing its news on (kept out of the partner API).
                    "allows_redistribution": slug != "pacific-wire",
                },
            )[0]
            for name, slug, label, country, _place in PARTNERS
        ]
        partner_places = {slug: place for _, slug, _, _, place in PARTNERS}
        journalists = Group.objects.get(name="Journalist")
        authors = []
        for username, first, last in AUTHORS:
            user, created = get_user_model().objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            if created:
                user.set_unusable_password()
                user.save()
                user.groups.add(journalists)
            authors.append(user)
        images = []
        for index in range(36):
            caption = rng.choice(CAPTIONS).format(**self._words(rng))
            image = image_save(
                image=Image(
                    file=_photo(rng, index),
                    caption=caption,
                    alt_text=f"Illustration: {caption[0].lower()}{caption[1:]}",
                    credit=f"{rng.choice(PHOTOGRAPHERS)} / demo",
                    focal_x=rng.choice([0.3, 0.5, 0.7]),
                )
            )
            # Here rather than by the task worker, which `make run` does not start.
            image_renditions_generate(image=image)
            images.append(image)
        sections = {s.slug: s for s in Section.objects.filter(edition="en")}
        now = timezone.localtime()
        used_slugs = set()
        for number in range(total):
            section = sections[rng.choice(list(TOPICS))]
            headlines, lead, tags = TOPICS[section.slug]
            words = self._words(rng)
            headline = rng.choice(headlines).format(**words)
            day = now.date() - timedelta(days=int(number * days / total))
            moment = datetime.combine(
                day, time(rng.randrange(7, 22), rng.randrange(60)), tzinfo=now.tzinfo
            )
            moment = min(moment, now - timedelta(minutes=number + 1))
            slug = base = slugify(headline)[:200]
            suffix = 2
            while (timezone.localdate(moment), slug) in used_slugs:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            used_slugs.add((timezone.localdate(moment), slug))
            partner = (
                rng.choice(partners) if section.slug == "world" or rng.random() < 0.1 else None
            )
            status = Article.Status.PUBLISHED
            if number < 4:
                status = [Article.Status.DRAFT, Article.Status.IN_REVIEW][number % 2]
            body = "".join(
                f"<p>{paragraph.format(**words)}</p>"
                for paragraph in rng.sample(PARAGRAPHS, rng.randrange(3, 6))
            )
            article = Article.objects.create(
                headline=headline,
                slug=slug,
                lead=lead.format(**words),
                body=body,
                dateline_place=partner_places[partner.slug] if partner else rng.choice(HOME_PLACES),
                section=section,
                main_image=rng.choice(images) if rng.random() < 0.7 else None,
                source=partner,
                via_agencies="Yonhap" if partner and number % 7 == 0 else "",
                status=status,
                published_at=moment,
                is_breaking=number in (4, 40),
                is_top_story=4 <= number < 30 and number % 8 == 4,
            )
            article.authors.add(rng.choice(authors))
            if number == 12:
                Correction.objects.create(
                    article=article,
                    text="An earlier version of this article gave the wrong figure.",
                    created_at=moment + timedelta(hours=2),
                )
            article.tags.add(*{tag.format(**words) for tag in tags if rng.random() < 0.7})
            if section.parent_id is None and rng.random() < 0.15:
                article.secondary_sections.add(sections["society"])
        self._load_stories(rng, images, authors, now)
        return total

    @staticmethod
    def _load_stories(rng, images, authors, now):
        """The stories of every edition: an English original first, then its
        translations, each in its edition's section of the same slug."""
        sections = {(s.edition_id, s.slug): s for s in Section.objects.all()}
        for number, story in enumerate(STORIES):
            original = None
            image = rng.choice(images)
            author = rng.choice(authors)
            for offset, code in enumerate(code for code in ("en", "ru", "be") if code in story):
                headline, slug, place, lead, paragraphs, tags = story[code]
                article = Article.objects.create(
                    edition_id=code,
                    headline=headline,
                    slug=slug,
                    lead=lead,
                    body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
                    dateline_place=place,
                    section=sections[code, story["section"]],
                    main_image=image,
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(hours=3 * number + 3 - offset),
                    translation_of=original,
                    translated_version=original.version if original else None,
                )
                article.authors.add(author)
                article.tags.add(*tags)
                if code == "en":
                    original = article

    @staticmethod
    def _words(rng):
        return {
            "region": rng.choice(REGIONS),
            "industry": rng.choice(INDUSTRIES),
            "percent": rng.randrange(3, 28),
            "number": rng.randrange(12, 900),
            "month": rng.choice(["March", "June", "September", "October"]),
            "weekday": rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
        }
