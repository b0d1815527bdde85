"""The embedded broker: kombu's filesystem transport, made safe for several processes at once.

Upstream writes a message straight into its final name in the queue folder, so a worker polling the folder can
take a file that is still being written and die on `JSONDecodeError` (after ~20 minutes of `make run`, the
portal went down that way). Here every file the transport shares (messages and the exchange tables in the
control folder) is written under a temporary name that no reader looks at, then renamed into place; a rename
within one folder is atomic, so a reader sees the whole file or none of it.

Taking a message is also made safe: the file is renamed into the processed folder (same file system, atomic:
only one consumer wins) instead of `shutil.move` to the system temp folder, which copies across file systems.
A file that still cannot be decoded (left by a crash of an older version) is set aside in the processed folder
under `*.corrupt` with a log line instead of killing the worker.

Registered as the `kcityfs` transport: settings use `kcityfs://` when REDIS_URL is not set.
"""

import fcntl
import logging
import os
import uuid
from contextlib import contextmanager, suppress
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

TEMP_PREFIX = ".tmp-"  # never ends in ".<queue>.msg" nor ".exchange": readers skip these names


def _write_atomically(path: str, data: bytes) -> None:
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f"{TEMP_PREFIX}{uuid.uuid4().hex}-{name}.part")
    try:
        with open(temporary, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


class Channel(filesystem.Channel):
    @contextmanager
    def _control_lock(self):
        # Exchange tables are read, changed and written back by every process that declares a queue: one lock
        # file for the control folder serialises that read-modify-write.
        self.control_folder.mkdir(parents=True, exist_ok=True)
        with open(self.control_folder / ".lock", "a") as lock_file:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)

    def get_table(self, exchange):
        file = self._exchange_file(exchange)
        try:
            return [filesystem.exchange_queue_t(*q) for q in loads(bytes_to_str(file.read_bytes()))]
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise ChannelError(f"Cannot open {file}") from exc

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        file = self._exchange_file(exchange)
        queue_val = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        try:
            with self._control_lock():
                queues = self.get_table(exchange)
                if queue_val not in queues:
                    queues.insert(0, queue_val)
                    _write_atomically(str(file), str_to_bytes(dumps(queues)))
        except OSError as exc:
            raise ChannelError(f"Cannot open {file}") from exc

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        # The virtual channel's bookkeeping, then our table update (skipping upstream's in-place rewrite).
        super(filesystem.Channel, self)._delete(queue, exchange, routing_key, pattern, *args, **kwargs)
        file = self._exchange_file(exchange)
        queue_val = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._control_lock():
            queues = self.get_table(exchange)
            if queue_val in queues:
                queues.remove(queue_val)
                _write_atomically(str(file), str_to_bytes(dumps(queues)))

    def _put(self, queue, payload, **kwargs):
        filename = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        path = os.path.join(self.data_folder_out, filename)
        try:
            _write_atomically(path, str_to_bytes(dumps(payload)))
        except OSError as exc:
            raise ChannelError(f"Cannot add file {path!r} to directory") from exc

    def _get(self, queue):
        queue_find = f"{queue}.msg"
        processed_folder = self.processed_folder
        os.makedirs(processed_folder, exist_ok=True)
        for filename in sorted(os.listdir(self.data_folder_in)):
            if filename.startswith(TEMP_PREFIX) or filename.partition(".")[2] != queue_find:
                continue
            taken = os.path.join(processed_folder, filename)
            try:
                # Atomic on one file system: if another consumer took it first, this raises and we look further.
                os.rename(os.path.join(self.data_folder_in, filename), taken)
            except OSError:
                continue
            try:
                with open(taken, "rb") as f:
                    payload = f.read()
            except OSError as exc:
                raise ChannelError(f"Cannot read file {taken!r} from queue.") from exc
            try:
                message = loads(bytes_to_str(payload))
            except ValueError:
                logger.error("Broker message %s is not valid JSON: set aside as %s.corrupt", filename, taken)
                os.replace(taken, f"{taken}.corrupt")
                continue
            if not self.store_processed:
                os.remove(taken)
            return message
        raise Empty()


class Transport(filesystem.Transport):
    Channel = Channel
    driver_type = "filesystem"
    driver_name = "kcityfs"


TRANSPORT_ALIASES["kcityfs"] = "kcity.broker:Transport"
