"""The SQL a test's captured queries sent, with core.compiled's prepared statements written out.

On PostgreSQL a compiled read is sent as `EXECUTE kcity_compiled_2 (56)` (core.compiled.execute): a test that reads
the captured SQL (which tables, which index its plan uses) reads the statement it runs, from the server's own
record of it (pg_prepared_statements), with its arguments in place of $1, $2..."""

import re

from django.db import connection

_EXECUTE = re.compile(r"^EXECUTE (\w+)(?: \((.*)\))?$", re.DOTALL)
_PREPARED = re.compile(r"^PREPARE \w+ AS ", re.DOTALL)


def written_out(sql: str) -> str:
    """`sql` itself, or for an EXECUTE of a prepared statement, that statement's SQL with its arguments."""
    sent = _EXECUTE.match(sql)
    if not sent:
        return sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [sent[1]])
        (statement,) = cursor.fetchone()
    # The arguments are integers (ids, a page's LIMIT and OFFSET): every other value is in the statement's text.
    arguments = [argument.strip() for argument in sent[2].split(",")] if sent[2] else []
    assert all(re.fullmatch(r"-?\d+", argument) for argument in arguments), arguments
    text = _PREPARED.sub("", statement)
    return re.sub(r"\$(\d+)\b", lambda place: arguments[int(place[1]) - 1], text)


def sent(queries) -> list[str]:
    """The SQL of each query a CaptureQueriesContext captured, prepared statements written out."""
    return [written_out(query["sql"]) for query in queries.captured_queries]
