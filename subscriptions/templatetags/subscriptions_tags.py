from django import template

from subscriptions.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("includes/subscribe_form.html")
def subscribe_form():
    """The footer's "Subscribe to us" form (its sections come from the cache)."""
    return {"form": SubscribeForm(auto_id="subscribe-%s")}
