from django import template
from django.template.loader import render_to_string

from articles.pagecache import fragment
from editions.selectors import edition_current
from subscriptions.forms import SubscribeForm

register = template.Library()


@register.simple_tag(takes_context=True)
def subscribe_form(context):
    """The footer's "Subscribe to us" form, compact (the address only; the
    choices are on /subscribe/) of the page's edition: rendered once per
    language and kept."""
    request = context.get("request")
    return fragment("subscribe-footer", ["sections"], _subscribe_form, request=request)


def _subscribe_form():
    form = SubscribeForm(auto_id="subscribe-%s", edition=edition_current().code)
    return render_to_string("includes/subscribe_footer.html", {"form": form})
