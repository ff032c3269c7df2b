from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView
from django_ratelimit.core import get_usage

from . import selectors, services, signup
from .forms import PreferencesForm, SubscribeForm


def _client_ip(request):
    """The address the rate limits count, for the consent record."""
    return request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR") or None


def _rate_limited(request, *, group, key, rate):
    """A 429 answer if this request is one too many for ``rate``, else None."""
    usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    response = render(request, "subscriptions/rate_limited.html", status=429)
    response["Retry-After"] = str(max(usage["time_left"], 1))
    add_never_cache_headers(response)
    return response


def _public(response):
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    return response


def _private(response):
    """Pages behind a signed link: never cached, the link never passed on."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


# The subscribe form carries no CSRF token, on purpose. It sits in the footer
# of every page, and those pages are publicly cacheable: a per-visitor token
# would either be shared through the cache or make every page uncacheable.
# A forged subscribe request cannot do harm either: it uses no cookie or
# session, and all it can do is what anyone can do by posting the form
# themselves, ask for a confirmation mail to an address, which double opt-in
# makes harmless and the rate limits keep rare. Browsers also tell us when a
# form was posted from another site (Sec-Fetch-Site), and those posts are
# refused, so other sites cannot use their visitors to get round the per-IP
# limit.
@method_decorator(csrf_exempt, name="dispatch")
class SubscribeView(FormView):
    template_name = "subscriptions/subscribe.html"
    form_class = SubscribeForm

    def get_form_kwargs(self):
        # The page's edition: /ru/subscribe/ subscribes to the Russian one.
        return {**super().get_form_kwargs(), "edition": self.request.edition.code}

    def get(self, request, *args, **kwargs):
        return _public(super().get(request, *args, **kwargs))

    def post(self, request, *args, **kwargs):
        if request.headers.get("Sec-Fetch-Site") == "cross-site":
            return _private(render(request, "subscriptions/cross_site.html", status=403))
        limited = _rate_limited(
            request, group="subscribe-ip", key="ip", rate=settings.SUBSCRIPTIONS_RATE_PER_IP
        )
        if limited:
            return limited
        form = self.get_form()
        if not form.is_valid():
            return _private(self.form_invalid(form))
        if not form.is_bot:
            email = form.cleaned_data["email"]
            limited = _rate_limited(
                request,
                group="subscribe-address",
                key=lambda group, request: email,
                rate=settings.SUBSCRIPTIONS_RATE_PER_ADDRESS,
            )
            if limited:
                return limited
            signup.subscription_request(
                email=email,
                edition=form.edition,
                frequency=form.cleaned_data["frequency"],
                section_ids=form.cleaned_data["sections"],
                ip=_client_ip(request),
                consent_text=form.consent_given,
            )
        # The same answer whatever the address's state (and for bots).
        return redirect("subscriptions:check-inbox")


class CheckInboxView(TemplateView):
    template_name = "subscriptions/check_inbox.html"

    def get(self, request, *args, **kwargs):
        return _public(super().get(request, *args, **kwargs))


def _invalid_link(request):
    return _private(render(request, "subscriptions/invalid_link.html", status=400))


class SignedLinkMixin:
    """A page behind a signed link: for the subscriber the token names
    (``self.subscriber``), or the invalid-link page; never cached."""

    #: The selector that reads the token: token -> Subscriber or None.
    subscriber_from_token = staticmethod(selectors.subscriber_from_manage_token)

    def dispatch(self, request, token):
        self.subscriber = self.subscriber_from_token(token=token)
        if self.subscriber is None:
            return _invalid_link(request)
        return _private(super().dispatch(request, token=token))


# The views behind signed links take no CSRF token: they use no cookie or
# session, only the token in the address, which another site cannot know.
# RFC 8058 requires it of the one-click unsubscribe POST, which mail
# providers send without cookies.
@method_decorator(csrf_exempt, name="dispatch")
class ConfirmView(SignedLinkMixin, View):
    """GET shows a button and changes nothing (mail scanners follow links);
    the POST of the button confirms, once."""

    subscriber_from_token = staticmethod(selectors.subscriber_from_confirm_token)

    def get(self, request, token):
        return render(request, "subscriptions/confirm.html", {"subscriber": self.subscriber})

    def post(self, request, token):
        if not services.subscription_confirm(subscriber=self.subscriber, ip=_client_ip(request)):
            return _invalid_link(request)
        token = selectors.manage_token(subscriber=self.subscriber)
        return render(request, "subscriptions/confirmed.html", {"manage_token": token})


@method_decorator(csrf_exempt, name="dispatch")
class PreferencesView(SignedLinkMixin, FormView):
    template_name = "subscriptions/preferences.html"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        # The subscriber's edition's sections, whichever site shows the page.
        return {**super().get_form_kwargs(), "edition": self.subscriber.edition_id}

    def get_initial(self):
        return {
            "frequency": self.subscriber.frequency,
            "sections": list(self.subscriber.sections.values_list("pk", flat=True)),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subscriber=self.subscriber,
            token=self.kwargs["token"],
            saved="saved" in self.request.GET,
            **kwargs,
        )

    def form_valid(self, form):
        services.subscription_update(
            subscriber=self.subscriber,
            frequency=form.cleaned_data["frequency"],
            section_ids=form.cleaned_data["sections"],
        )
        return redirect(f"{self.request.path}?saved=1")


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(SignedLinkMixin, View):
    """GET asks with one button; POST (the button, or a mail provider's
    one-click "List-Unsubscribe=One-Click") unsubscribes at once."""

    def get(self, request, token):
        return render(
            request,
            "subscriptions/unsubscribe.html",
            {"subscriber": self.subscriber, "token": token},
        )

    def post(self, request, token):
        services.subscription_cancel(subscriber=self.subscriber)
        return render(
            request,
            "subscriptions/unsubscribed.html",
            {"subscriber": self.subscriber, "token": token},
        )
