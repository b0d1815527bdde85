"""The official IATI 2.03 activity schema (vendored, see README.md here) and the check of a document against it."""

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMA_DIR = Path(__file__).resolve().parent
ACTIVITIES_XSD = SCHEMA_DIR / "iati-activities-schema.xsd"


@cache
def activities_schema() -> etree.XMLSchema:
    """Parsed once per process: the schema includes iati-common.xsd and imports xml.xsd from this directory, so
    nothing is fetched from the network (no_network also forbids it)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(ACTIVITIES_XSD), parser))


def validate(document) -> None:
    """Raise lxml.etree.DocumentInvalid, naming the first error's line and message, if `document` (bytes, an
    element or an element tree) is not a valid IATI 2.03 activities file; return None when it is."""
    if isinstance(document, bytes | bytearray):
        document = etree.fromstring(bytes(document), etree.XMLParser(no_network=True, resolve_entities=False))
    activities_schema().assertValid(document)


def errors(document) -> list[str]:
    """Every schema error of `document` as "line N: message" (empty when valid), for an operator's report."""
    if isinstance(document, bytes | bytearray):
        document = etree.fromstring(bytes(document), etree.XMLParser(no_network=True, resolve_entities=False))
    schema = activities_schema()
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
