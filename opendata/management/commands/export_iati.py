"""`manage.py export_iati [--output FILE] [--validate]`: the IATI 2.03 activity file /open-data/iati-activities.xml
serves, written to a file (for the IATI Registry, a mirror or an archive) or to standard output."""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opendata.iati import iati_chunks, iati_document
from opendata.iati_schema import errors


class Command(BaseCommand):
    help = "Write the IATI 2.03 activity file of every public project (the same as /open-data/iati-activities.xml)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="File to write (replaced whole, never half-written); default: standard output."
        )
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="Scheme and host of the document links (default: SITE_URL, %(default)s).",
        )
        parser.add_argument(
            "--validate",
            action="store_true",
            help="Check the file against the IATI 2.03 schema first; write nothing if it fails.",
        )

    def handle(self, *args, output=None, base_url, validate=False, **options):
        if not base_url.startswith(("https://", "http://")):
            raise CommandError(f"--base-url must start with https:// or http://, not {base_url!r}.")
        if validate:
            data = iati_document(base_url=base_url)
            problems = errors(data)
            if problems:
                raise CommandError("The file is not valid IATI 2.03; nothing was written:\n" + "\n".join(problems))
            chunks = [data]
        else:
            chunks = iati_chunks(base_url=base_url)
        if output is None:
            binary = getattr(self.stdout._out, "buffer", None)  # sys.stdout's bytes; a StringIO (tests) takes text
            for chunk in chunks:
                if binary is not None:
                    binary.write(chunk)
                else:
                    self.stdout.write(chunk.decode(), ending="")
            if binary is not None:
                binary.flush()
            return
        self._write_file(Path(output), chunks)
        self.stderr.write(self.style.SUCCESS(f"Wrote {output}" + (" (valid IATI 2.03)" if validate else "")))

    def _write_file(self, path: Path, chunks) -> None:
        directory = path.resolve().parent
        if not directory.is_dir():
            raise CommandError(f"No such directory: {directory}")
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                for chunk in chunks:
                    file.write(chunk)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
