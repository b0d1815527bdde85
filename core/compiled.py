"""Reads that pages ask on every request, their SQL written by the ORM once: the navigation's badges
(CompiledCount), small fixed reads (CompiledRows), the pages of lists (CompiledQuery) and a page's own row as a
model instance (CompiledInstances).

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
from itertools import count
from typing import NamedTuple
from weakref import WeakKeyDictionary

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

from core.translated import active_language

# An id no row has: it stands for the viewer's in the compiled SQL, and no other parameter of these queries is an
# integer equal to it (the constants they compare with are statuses and flags).
MARKER = -2_147_483_647
# CompiledInstances's integers, in order, as MARKER is: ids no row has, that no constant of a query equals.
MARKERS = tuple(MARKER + n for n in range(8))


class CompiledQuery:
    """A values() queryset of a fixed shape, built and compiled by the ORM once per process, database, language and
    `shape`, then sent again with each viewer's id in place of MARKER:

        page = CompiledQuery(Proposal, lambda viewer, stop: Proposal.objects.filter(owner_id=viewer)
                             .order_by("-updated_at", "-id").values("pk", "title")[:stop], names=("pk", "title"))
        page.rows(user.pk, 25)   # [(pk, title), ...], as list(queryset.values_list("pk", "title")) reads
        page.count(user.pk, 25)  # as queryset.count()

    `names` (or a function of no arguments that says them in the reader's language) are the values() names each
    row holds, in that order; without them, every column in the SQL's order. `rows(viewer, *shape)` builds the
    queryset; it may take nothing of a request's but the viewer's id (an integer parameter wherever it appears)
    and `shape`: a few hashable values that change the SQL's text, e.g. a page's LIMIT and OFFSET or which of a
    rule's parts apply, each kept compiled (at most SHAPES of them, then compiled afresh). The reader's language is
    part of the key, for translated columns. A value is converted as the ORM converts it (the compiler's
    converters, so dates and booleans read alike on PostgreSQL and SQLite); the model instances, querysets and
    expressions of a read are not built again, which for a list's page costs several times the database's
    answer."""

    SHAPES = 64

    def __init__(self, model: type[Model], rows: Callable[..., QuerySet], *,
                 names: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()):
        self.model = model
        self.build = rows
        self.names = names
        self._compiled: dict[tuple, _Compiled] = {}

    def _compile(self, alias: str, shape: tuple) -> "_Compiled":
        query = self.build(MARKER, *shape).using(alias).query
        compiler = query.get_compiler(alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. `pk__in` an empty list: no rows, whoever asks
            return _Compiled("", None, (), (), (), (), None, ())
        selected = compiler.select[: compiler.col_count]
        aliases = tuple(name for _expression, _sql, name in selected)
        names = (self.names() if callable(self.names) else self.names) or aliases
        positions = tuple(aliases.index(name) for name in names)
        converters = tuple((position, tuple(functions), expression) for position, (functions, expression)
                           in compiler.get_converters([expression for expression, _sql, _name in selected]).items())
        slots = tuple(n for n, value in enumerate(params) if value == MARKER)
        width = compiler.col_count if compiler.has_extra_select else None
        return _Compiled(f"kcity_compiled_{next(_NAMES)}", sql, tuple(params), slots, positions, converters, width,
                         names)

    def _prepared(self, viewer: int | None, shape: tuple) -> tuple["_Compiled", str, int | None]:
        compiled, alias = _shape(self, shape)
        if compiled.slots and viewer is None:
            raise ValueError("the rows' condition uses the viewer's id, and no viewer was given")
        return compiled, alias, viewer

    def rows(self, viewer: int | None, *shape) -> list[tuple]:
        return self._read(*self._prepared(viewer, shape))

    def dicts(self, viewer: int | None, *shape) -> list[dict]:
        """rows(), each a dict by column name (as values() reads)."""
        compiled, alias, viewer = self._prepared(viewer, shape)
        return [dict(zip(compiled.names, row, strict=True)) for row in self._read(compiled, alias, viewer)]

    def count(self, viewer: int | None, *shape) -> int:
        return self._count(*self._prepared(viewer, shape))

    @staticmethod
    def _read(compiled: "_Compiled", alias: str, viewer: int | None) -> list[tuple]:
        if compiled.sql is None:
            return []
        connection = connections[alias]
        with connection.cursor() as cursor:
            _send(connection, cursor, compiled.name, compiled.sql, compiled, viewer)
            fetched = cursor.fetchall()
        positions, converters, width = compiled.positions, compiled.converters, compiled.width
        rows = []
        for row in fetched:
            if converters:
                row = _converted(row[:width] if width else row, converters, connection)
            rows.append(tuple(row[position] for position in positions))
        return rows

    @staticmethod
    def _count(compiled: "_Compiled", alias: str, viewer: int | None) -> int:
        if compiled.sql is None:
            return 0
        connection = connections[alias]
        with connection.cursor() as cursor:
            # The ORM's own SQL, every value a parameter: nothing of a request's is written into the text.
            counted = f"SELECT COUNT(*) FROM ({compiled.sql}) counted"  # noqa: S608
            _send(connection, cursor, f"{compiled.name}_count", counted, compiled, viewer)
            return cursor.fetchone()[0]


def _shape(read, shape: tuple):
    """A CompiledQuery's or CompiledInstances's compiled `shape` for the router's database and the reader's
    language (compiled on first use; past SHAPES of them, all compiled afresh), and that database's alias."""
    alias = router.db_for_read(read.model)
    key = (alias, connections[alias].vendor, active_language(), shape)
    compiled = read._compiled.get(key)
    if compiled is None:
        if len(read._compiled) >= read.SHAPES:
            read._compiled.clear()
        compiled = read._compiled[key] = read._compile(alias, shape)
    return compiled, alias


def _converted(row, converters, connection) -> list:
    """A fetched row, each converted column as the ORM converts it (the compiler's converters)."""
    row = list(row)
    for position, functions, expression in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row


class _Compiled(NamedTuple):
    name: str  # of its prepared statement (PostgreSQL)
    sql: str | None  # None: the queryset has no rows for anyone (the ORM's EmptyResultSet)
    params: tuple
    slots: tuple[int, ...]  # the viewer's id's places among the parameters
    positions: tuple[int, ...]  # each of CompiledQuery.names's column in the SQL's row
    converters: tuple  # (column, the ORM's converter functions, their expression)
    width: int | None  # the row's columns when the SQL selects more (e.g. for its ORDER BY)
    names: tuple[str, ...]  # of the values in each row read


# Each raw database connection's prepared statements, by name: a connection opened again (CONN_MAX_AGE, a health
# check, a test's) has none, and the entry goes with the connection it was for.
_PREPARED: "WeakKeyDictionary[object, set[str]]" = WeakKeyDictionary()
_NAMES = count(1)


def execute(connection, cursor, name: str, sql: str, params: list, *, variable: tuple[int, ...]) -> None:
    """cursor.execute(sql, params); on PostgreSQL (DATABASE_PREPARED_STATEMENTS), as the statement `name` prepared
    once per connection, whose parameters are those at the positions `variable` (the others are the same on every
    call, and are written into its text by the driver's own quoting, cursor.mogrify).

    Planning a list's read (a UNION of index lookups, joins) costs the server several times running it, on every
    request; a prepared statement is planned once (settings: the generic plan). The PREPARE is sent on the raw
    connection, outside Django's query log, so a request's queries read the same whether or not its connection had
    prepared the statement before. `name` must stand for one SQL text: a read of another shape is another name.
    A value the plan's shape depends on, a LIMIT above all, is not `variable`: the generic plan cannot see it and
    plans a LIMIT for a tenth of the rows (committee.selectors.member_workspace_rows names a statement per limit)."""
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    raw = connection.connection
    prepared = _PREPARED.get(raw)
    if prepared is None:
        prepared = _PREPARED[raw] = set()
    if name not in prepared:
        from psycopg2.extensions import AsIs  # noqa: PLC0415  (PostgreSQL only)

        places = {position: AsIs(f"${n}") for n, position in enumerate(variable, start=1)}
        with raw.cursor() as raw_cursor:
            text = raw_cursor.mogrify(sql, [places.get(n, value) for n, value in enumerate(params)]).decode()
            raw_cursor.execute(f"PREPARE {name} AS {text}")
        prepared.add(name)
    if variable:
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(variable))})", [params[n] for n in variable])
    else:
        cursor.execute(f"EXECUTE {name}")


def _send(connection, cursor, name: str, sql: str, compiled: "_Compiled", viewer: int | None) -> None:
    """A compiled read, with the viewer's id in its slots."""
    values = list(compiled.params)
    for slot in compiled.slots:
        values[slot] = viewer
    execute(connection, cursor, name, sql, values, variable=compiled.slots)


class CompiledCount:
    """`CompiledCount(Notice, lambda viewer: Notice.objects.filter(user_id=viewer, read_at__isnull=True))(user.pk)`:
    how many rows the queryset has for this viewer, as `queryset.count()` says, without building it again."""

    def __init__(self, model: type[Model], rows: Callable[[int], QuerySet]):
        self.query = CompiledQuery(model, lambda viewer: rows(viewer).order_by().values("pk"))

    def __call__(self, viewer: int) -> int:
        if viewer is None:
            raise ValueError("a count for a viewer needs the viewer's id")
        compiled, alias, viewer = self.query._prepared(viewer, ())
        if not compiled.slots:
            raise ValueError("the rows' condition does not use the viewer's id")
        return self.query._count(compiled, alias, viewer)


class CompiledRows:
    """`CompiledRows(ServiceLevel, lambda: ServiceLevel.objects.values("status", "days"))()`: the rows of a values()
    queryset that takes nothing of a request's but the reader's language (a translated column, e.g.
    core.translated.InReadersLanguage, is written into its SQL per language), compiled once per process, database
    and language (a CompiledQuery). Each row a dict by the SQL's column names (its aliases: the names given to
    values(); modeltranslation may reorder them, so never rely on their order)."""

    def __init__(self, model: type[Model], rows: Callable[[], QuerySet]):
        self.query = CompiledQuery(model, lambda _viewer: rows())

    def __call__(self) -> list[dict]:
        return self.query.dicts(None)


class CompiledInstances:
    """Model instances of a queryset of a fixed shape (its filters, select_related, only() and annotations), built
    and compiled by the ORM once per process, database, language and `shape`, then sent again with new integers:

        page = CompiledInstances(Proposal, lambda pk, owner: Proposal.objects.select_related("track")
                                 .filter(pk=pk, owner_id=owner), integers=2)
        page(proposal_pk, user.pk)  # [Proposal], as list(queryset) reads, its track read with it

    `rows(*integers, *shape)` builds the queryset from a marker for each of its `integers` (MARKERS: each must
    reach the SQL as a parameter, e.g. an id compared with a column) and `shape` (a few hashable values that change
    the SQL's text). The instances are made as the ORM's own iterable makes them (Model.from_db, the related
    populators of select_related, the annotations set as attributes, the compiler's converters), so a deferred
    column loads on access as it would; prefetch_related is refused (it would not run). For a page's one row whose
    queryset costs several times the database's answer to build and compile. As for CompiledQuery, nothing but the
    integers, the shape and the reader's language may change the SQL's text: not the time zone (no `__date` lookup
    or other time-zone-dependent expression) and not a date or time (the database's clock, Now(), instead)."""

    SHAPES = 64

    def __init__(self, model: type[Model], rows: Callable[..., QuerySet], *, integers: int = 1):
        if not 0 < integers <= len(MARKERS):
            raise ValueError(f"between 1 and {len(MARKERS)} integers")
        self.model, self.build, self.integers = model, rows, integers
        self._compiled: dict[tuple, _CompiledInstances] = {}

    def __call__(self, *values) -> list[Model]:
        integers, shape = values[: self.integers], values[self.integers:]
        if len(integers) < self.integers or any(type(value) is not int for value in integers):
            raise ValueError(f"{self.integers} integers first, then the shape")
        compiled, alias = _shape(self, shape)
        return compiled.read(alias, integers)

    def _compile(self, alias: str, shape: tuple) -> "_CompiledInstances":
        queryset = self.build(*MARKERS[: self.integers], *shape).using(alias)
        if (queryset._prefetch_related_lookups or queryset._known_related_objects
                or queryset._iterable_class is not ModelIterable):
            raise ValueError("CompiledInstances reads model instances, without prefetch_related")
        compiler = queryset.query.get_compiler(alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _CompiledInstances(None, None, (), (), None)
        slots = []
        for marker in MARKERS[: self.integers]:
            places = tuple(n for n, value in enumerate(params) if value == marker)
            if not places:
                raise ValueError("each integer must reach the SQL as a parameter")
            slots.append(places)
        return _CompiledInstances(f"kcity_instances_{next(_NAMES)}", sql, tuple(params), tuple(slots), compiler)


class _CompiledInstances:
    """One shape of a CompiledInstances: its SQL, and what the ORM's ModelIterable works out from the compiler
    before its first row (the model's columns' places, the related populators, the annotations' places)."""

    def __init__(self, name: str | None, sql: str | None, params: tuple, slots: tuple, compiler):
        self.name, self.sql, self.params, self.slots = name, sql, params, slots
        if sql is None:
            return
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start:self.end]]
        self.related = get_related_populators(klass_info, select, compiler.using)
        self.annotations = tuple(compiler.annotation_col_map.items())
        self.converters = tuple((position, tuple(functions), expression) for position, (functions, expression) in
                                compiler.get_converters([column[0] for column in select[: compiler.col_count]])
                                .items())
        self.variable = tuple(sorted(place for places in slots for place in places))

    def read(self, alias: str, integers: tuple[int, ...]) -> list[Model]:
        if self.sql is None:
            return []
        values = list(self.params)
        for places, value in zip(self.slots, integers, strict=True):
            for place in places:
                values[place] = value
        connection = connections[alias]
        with connection.cursor() as cursor:
            execute(connection, cursor, self.name, self.sql, values, variable=self.variable)
            fetched = cursor.fetchall()
        instances = []
        for row in fetched:
            if self.converters:
                row = _converted(row, self.converters, connection)
            instance = self.model.from_db(alias, self.init_list, row[self.start:self.end])
            for populator in self.related:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances
