"""Point the project's Celery app at another broker for the length of a test (a real one, an absent one)."""

from contextlib import contextmanager

from kcity.celery import app

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused at once


def _reset_pools():
    # Celery caches the connection and producer pools built from the broker URL it saw first.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str):
    previous = app.conf.broker_url
    app.conf.broker_url = url
    _reset_pools()
    try:
        yield app
    finally:
        app.conf.broker_url = previous
        _reset_pools()


def purge_queues():
    """Drop messages earlier runs left in the broker, so the worker under test sees only this test's."""
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)
