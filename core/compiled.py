"""Counts that every page asks of the database (the navigation's badges), and small fixed reads a list asks on
every request (CompiledRows), their SQL written by the ORM once.

Building and compiling a queryset costs far more than the database takes to answer these counts from their partial
indexes: about 0.25 ms of Python for the unread notices and 0.75 ms for the staff inbox's badge, against 0.02 and
0.04 ms to send the SQL itself. A CompiledCount compiles its queryset once per process and database, for a marker
in place of the one value that changes between requests (the viewer's id), and sends that SQL again with each
viewer's own id. The queryset is the single statement of the condition: nothing is written twice by hand.

Only an integer may change, because an integer reaches the database as it is on every backend (a date or time would
need the backend's adaptation): a count that depends on the time reads the database's clock in the query
(django.db.models.functions.Now) instead of a parameter.
"""

from collections.abc import Callable

from django.db import connections, router
from django.db.models import Model, QuerySet

from core.translated import active_language

# An id no row has: it stands for the viewer's in the compiled SQL, and no other parameter of these queries is an
# integer equal to it (the constants they compare with are statuses and flags).
MARKER = -2_147_483_647


class CompiledCount:
    """`CompiledCount(Notice, lambda viewer: Notice.objects.filter(user_id=viewer, read_at__isnull=True))(user.pk)`:
    how many rows the queryset has for this viewer, as `queryset.count()` says, without building it again."""

    def __init__(self, model: type[Model], rows: Callable[[int], QuerySet]):
        self.model = model
        self.rows = rows
        self._compiled: dict[tuple[str, str], tuple[str, tuple, tuple[int, ...]]] = {}

    def _compile(self, alias: str) -> tuple[str, tuple, tuple[int, ...]]:
        query = self.rows(MARKER).using(alias).order_by().values("pk").query
        sql, params = query.get_compiler(alias).as_sql()
        slots = tuple(n for n, value in enumerate(params) if value == MARKER)
        if not slots:
            raise ValueError("the rows' condition does not use the viewer's id")
        # The ORM's own SQL, every value a parameter: nothing of a request's is written into the text.
        return f"SELECT COUNT(*) FROM ({sql}) counted", tuple(params), slots  # noqa: S608

    def __call__(self, viewer: int) -> int:
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        key = (alias, connection.vendor)
        if key not in self._compiled:
            self._compiled[key] = self._compile(alias)
        sql, params, slots = self._compiled[key]
        values = list(params)
        for slot in slots:
            values[slot] = viewer
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchone()[0]


class CompiledRows:
    """`CompiledRows(ServiceLevel, lambda: ServiceLevel.objects.values("status", "days"))()`: the rows of a values()
    queryset that takes nothing of a request's but the reader's language (a translated column, e.g.
    core.translated.InReadersLanguage, is written into its SQL per language), compiled once per process, database
    and language. Each row a dict by the SQL's column names (its aliases: the names given to values()), of the
    values as the database returns them, without the ORM's converters: only for text and integer columns, which
    reach Python the same from every backend."""

    def __init__(self, model: type[Model], rows: Callable[[], QuerySet]):
        self.model = model
        self.rows = rows
        self._compiled: dict[tuple[str, str, str], tuple[str, tuple]] = {}

    def __call__(self) -> list[dict]:
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        key = (alias, connection.vendor, active_language())
        if key not in self._compiled:
            self._compiled[key] = self.rows().using(alias).query.get_compiler(alias).as_sql()
        sql, params = self._compiled[key]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
