"""What readers would read differently between two texts of an article,
word by word: the one diff the history's compare view and the review of a
pending change show."""

import difflib

import lxml.html
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The fields shown as a word diff; the others before and after.
TEXT_NAMES = ["headline", "lead", "body"]
PARAGRAPH = "\n"
BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "figure",
    "figcaption",
    "pre",
    "table",
    "tr",
    "div",
    "hr",
    "br",
}


def text_words(markup: str) -> list[str]:
    """The words readers read in ``markup`` (the rendered text, not its
    tags), with PARAGRAPH between its blocks."""
    if not (markup or "").strip():
        return []
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    for element in root.iter():
        if element.tag in BLOCK_TAGS:
            element.tail = PARAGRAPH + (element.tail or "")
    words = []
    for line in root.text_content().split(PARAGRAPH):
        if line.split():
            if words:
                words.append(PARAGRAPH)
            words.extend(line.split())
    return words


def word_diff(old: list[str], new: list[str]) -> SafeString:
    """Paragraphs of escaped words, removed ones in <del>, added in <ins>."""
    paragraphs, current = [], []

    def add(words, tag=None):
        run = []

        def close_run():
            if run:
                text = escape(" ".join(run))
                current.append(f"<{tag}>{text}</{tag}>" if tag else text)
                run.clear()

        for word in words:
            if word == PARAGRAPH:
                close_run()
                if current:
                    paragraphs.append(" ".join(current))
                    current.clear()
            else:
                run.append(word)
        close_run()

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            add(old[a1:a2])
        if op in ("delete", "replace"):
            add(old[a1:a2], "del")
        if op in ("insert", "replace"):
            add(new[b1:b2], "ins")
    if current:
        paragraphs.append(" ".join(current))
    return mark_safe("".join(f"<p>{paragraph}</p>" for paragraph in paragraphs))  # noqa: S308


def text_diff(name: str, before: str, after: str) -> SafeString:
    """The word diff of field ``name`` (one of TEXT_NAMES): the body's as
    readers read it rendered, the headline's and lead's as written."""
    words = text_words if name == "body" else str.split
    return word_diff(words(before or ""), words(after or ""))
