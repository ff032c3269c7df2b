"""Background tasks of subscriptions (django-tasks). The periodic ones are
listed in settings.PERIODIC_TASKS; each is safe to run again or twice at once."""

from django_tasks import task

from . import services
from .models import Subscriber


@task()
def confirmation_mail_send(subscriber_id: int) -> bool:
    return services.confirmation_mail_send(subscriber_id=subscriber_id)


@task()
def reminder_mail_send(subscriber_id: int) -> bool:
    return services.reminder_mail_send(subscriber_id=subscriber_id)


@task()
def daily_digest_send() -> int:
    return services.digest_send(frequency=Subscriber.Frequency.DAILY)


@task()
def weekly_digest_send() -> int:
    return services.digest_send(frequency=Subscriber.Frequency.WEEKLY)


@task()
def breaking_alert_send(article_id: int) -> int:
    return services.alert_send(article_id=article_id)


@task()
def breaking_alerts_send() -> int:
    return services.breaking_alerts_send()
