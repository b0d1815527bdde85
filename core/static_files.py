"""The static files' storage with DEBUG off: whitenoise's compressed, hashed files (collectstatic), each file's URL
worked out once per process.

A page asks for the URLs of its style sheets, scripts, icons and flags on every request, and the manifest storage
answers each by cleaning the name, looking its hashed name up and joining it to STATIC_URL: on the admin's list
about 770 Python calls a request. The manifest is read when the process starts and stays as it is until the next
deploy (which starts new processes), so the answer for a name never changes within a process."""

from whitenoise.storage import CompressedManifestStaticFilesStorage

# More names than the project has static files: a template that made up names without end would not grow this.
_NAMES_AT_MOST = 10_000


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = super().url(name)  # a name not in the manifest raises here, as before, and is not kept
            if len(self._urls) < _NAMES_AT_MOST:
                self._urls[name] = url
        return url
