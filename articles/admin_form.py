"""How the article form looks and reads in the admin: the body editor's menu,
authors by their names, and the new-photo fields that say what they are for.
Called from ArticleAdminForm.__init__; the behaviour in the browser (counts,
the withdrawal reason shown when withdrawing) is static/js/admin-article-form.js."""

from django_prose_editor.config import DEFAULT_MENU_GROUPS

# The editor's menu: headings 2-4 as their own buttons beside the block-type
# dropdown, not only inside it.
BODY_MENU_GROUPS = [
    DEFAULT_MENU_GROUPS[0],
    {"group": "headings"},
    *DEFAULT_MENU_GROUPS[1:],
]

NEW_IMAGE_PLACEHOLDERS = {
    "new_image_alt": "Only for a new upload: what the new photo shows",
    "new_image_caption": "Only for a new upload",
    "new_image_credit": "Only for a new upload: photographer or agency",
}


def author_name(user):
    return user.get_full_name() or user.get_username()


def article_form_setup(form):
    body = form.fields.get("body")
    if body is not None:
        extensions = body.widget.config.get("extensions", {})
        body.widget.config = {
            **body.widget.config,
            "extensions": {**extensions, "Menu": {"groups": BODY_MENU_GROUPS}},
        }
    authors = form.fields.get("authors")
    if authors is not None:
        authors.label_from_instance = author_name
    for name, placeholder in NEW_IMAGE_PLACEHOLDERS.items():
        if name in form.fields:
            form.fields[name].widget.attrs["placeholder"] = placeholder
    if "new_image_alt" in form.fields and form.instance.main_image_id:
        form.fields["new_image_alt"].help_text = (
            "These three are for a photo uploaded above. The current photo's own alt "
            "text, caption and credit are on its page (the pencil beside it)."
        )
    for name in ("headline", "lead"):
        if name in form.fields:
            form.fields[name].widget.attrs["data-count"] = ""
    reason = form.fields.get("withdrawn_reason")
    if reason is not None:
        reason.widget.attrs["data-withdrawn-reason"] = ""
