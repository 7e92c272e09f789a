"""Celery tasks of core: thin, idempotent, taking ids and calling one service."""

from celery import shared_task


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, retry_kwargs={"max_retries": 5})
def notification_email_send(self, notification_id: int) -> bool:
    from .services import notification_email_deliver

    return notification_email_deliver(notification_id=notification_id)
