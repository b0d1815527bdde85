"""A task for the run-mode tests, loaded into a real worker with `--include tests.embedded_tasks`.

Each run leaves a file named after its key, so a test counts executions on disk, whatever the database and
broker: `<key>` for the first run, `<key>.again-<random>` for any further run of the same key.
"""

import os
import uuid
from pathlib import Path

from celery import shared_task


@shared_task(name="tests.record_run", ignore_result=True)
def record_run(folder: str, key: str) -> None:
    path = Path(folder) / str(key)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        (Path(folder) / f"{key}.again-{uuid.uuid4().hex}").touch()
