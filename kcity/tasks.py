from celery import shared_task

from kcity import heartbeat


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """Scheduled by beat (CELERY_BEAT_SCHEDULE): a worker that runs it proves beat, broker and worker all work."""
    heartbeat.record()
