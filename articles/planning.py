"""The planning view: a day or week calendar of the articles set to go out
(scheduled, embargoed for partners, or planned drafts with a time), from
which an editor opens one or gives it another publication time.

Rescheduling goes through the workflow services (articles/services.py), so
the status history, the revision and the page cache see it as any other save."""

import datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from editions.selectors import editions_of_user

from .forms import newsroom_time
from .models import Article
from .services import article_publish

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class PlanningRangeForm(forms.Form):
    """Which days the calendar shows: ?view=day|week&date=YYYY-MM-DD."""

    view = forms.ChoiceField(choices=[("week", "Week"), ("day", "Day")], required=False)
    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def days(self):
        """The first day shown and how many: the day, or the seven days from it."""
        day = self.cleaned_data.get("date") or timezone.localdate()
        return day, 1 if self.cleaned_data.get("view") == "day" else 7


class RescheduleForm(forms.Form):
    published_at = forms.DateTimeField(
        label="New publication time",
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={"invalid": "Give a date and a time, e.g. 2026-12-02 20:29."},
    )

    def clean_published_at(self):
        moment = self.cleaned_data["published_at"]
        if moment <= timezone.now():
            raise ValidationError(
                "Choose a time in the future (to publish it now, use “Publish now” in the list)."
            )
        return moment


def planned_articles(user):
    """Articles of the user's desks that are not public yet but have a time."""
    return (
        Article.objects.filter(
            edition__in=editions_of_user(user),
            published_at__gt=timezone.now(),
        )
        .exclude(status=Article.Status.WITHDRAWN)
        .select_related("section")
        .order_by("published_at", "pk")
    )


def article_reschedule(*, article, published_at, user):
    """Give a not-yet-public article another publication time, through the
    workflow (a scheduled one stays scheduled: published at that time), with
    a revision for its history. Raises ValidationError (nothing saved) when
    the article cannot go out then (another article of that day has its slug)."""
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Rescheduled for " + newsroom_time(published_at))
        article.published_at = published_at
        if article.status == Article.Status.PUBLISHED:
            return article_publish(article=article, user=user)
        article.clean()
        article.last_changed_by = user
        article.save(update_fields=["published_at", "updated_at"])
        return article


def kind(article):
    if article.status != Article.Status.PUBLISHED:
        return f"Planned ({article.get_status_display().lower()})"
    if article.released_to_partners:
        return "Embargoed (partners have it)"
    return "Scheduled"


def planning_view(request):
    """The calendar (GET) for anyone who may see articles: the seven days from
    today, or from ?date=, or one day (?view=day)."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    range_form = PlanningRangeForm(request.GET or None)
    status = 200
    if range_form.is_bound and not range_form.is_valid():
        status = 400
        first, count = timezone.localdate(), 7
    elif range_form.is_bound:
        first, count = range_form.days()
    else:
        first, count = timezone.localdate(), 7
    view = "day" if count == 1 else "week"
    return render_planning(request, first, count, view, range_form, status=status)


def render_planning(request, first, count, view, range_form, *, status=200, forms_by_pk=None):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = start + datetime.timedelta(days=count)
    articles = planned_articles(request.user).filter(published_at__gte=start, published_at__lt=end)
    can_reschedule = request.user.has_perm("articles.publish_article")
    forms_by_pk = forms_by_pk or {}
    today = timezone.localdate()
    days = []
    for offset in range(count):
        day = first + datetime.timedelta(days=offset)
        label = date_format(day, "l j F")
        days.append({"date": day, "label": label, "today": day == today, "items": []})
    for article in articles:
        local = timezone.localtime(article.published_at)
        form = forms_by_pk.get(article.pk) or RescheduleForm(
            initial={"published_at": local.replace(tzinfo=None)}, auto_id=f"id_%s_{article.pk}"
        )
        days[(local.date() - first).days]["items"].append(
            {
                "article": article,
                "time": local.strftime("%H:%M"),
                "kind": kind(article),
                "change_url": reverse("admin:articles_article_change", args=[article.pk]),
                "reschedule_url": reverse("admin:articles_planning_reschedule", args=[article.pk]),
                "form": form,
            }
        )
    step = datetime.timedelta(days=count)
    last = first + step - datetime.timedelta(days=1)
    shown = date_format(first, "j F Y")
    if count > 1:
        shown += " – " + date_format(last, "j F Y")
    url = reverse("admin:articles_planning")
    context = {
        **admin.site.each_context(request),
        "title": "Planning",
        "subtitle": shown,
        "days": days,
        "view": view,
        "range_form": range_form,
        "can_reschedule": can_reschedule,
        "opts": Article._meta,
        "previous_url": f"{url}?view={view}&date={first - step:%Y-%m-%d}",
        "next_url": f"{url}?view={view}&date={first + step:%Y-%m-%d}",
        "today_url": f"{url}?view={view}",
        "day_url": f"{url}?view=day&date={first:%Y-%m-%d}",
        "week_url": f"{url}?view=week&date={first:%Y-%m-%d}",
        "count": len(articles),
    }
    return TemplateResponse(request, "admin/articles/planning.html", context, status=status)


def reschedule_view(request, article_id):
    """POST: a new publication time for one article (editors only)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("articles.publish_article"):
        raise PermissionDenied
    article = get_object_or_404(planned_articles(request.user), pk=article_id)
    form = RescheduleForm(request.POST, auto_id=f"id_%s_{article.pk}")
    # Shown again in the week it was in if the new time is refused.
    first = timezone.localdate(article.published_at)
    if form.is_valid():
        try:
            article_reschedule(
                article=article, published_at=form.cleaned_data["published_at"], user=request.user
            )
        except ValidationError as error:
            form.add_error("published_at", error.messages)
        else:
            messages.success(
                request,
                f"“{article.headline}” now goes out on {newsroom_time(article.published_at)}.",
            )
            local = timezone.localdate(article.published_at)
            return HttpResponseRedirect(
                f"{reverse('admin:articles_planning')}?view=week&date={local:%Y-%m-%d}"
            )
    article.refresh_from_db(fields=["published_at"])
    return render_planning(
        request, first, 7, "week", PlanningRangeForm(), status=400, forms_by_pk={article.pk: form}
    )
