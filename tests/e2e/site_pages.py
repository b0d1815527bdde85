"""The pages a person of each role can reach from where the portal puts them, found the way they would find them:
by following the links on every page they open (GET only), from their own start pages.

Used by the browser tests that must hold on every page (reflow at 320 px, distinct titles): a new page is
checked as soon as a link leads to it, without a list here to keep up to date.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

# Not pages a person reads in the portal's layout: downloads, the back office, the API and its docs, sign-out,
# the language switch, and links that change something through a GET (none should, but a crawler must not).
SKIP = re.compile(
    r"^/(admin/|api/|i18n/|jsi18n/|static/|media/|healthz|accounts/logout/|accounts/confirm-email/)"
    r"|\.(pdf|ics|csv|json|xml|zip|xlsx|docx?)$|/download/|/feed/|/attachments/\d+/$"
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def page_kind(path: str) -> str:
    """The page a path shows, with its ids taken out: /proposals/12/edit/team/ and /proposals/7/edit/team/
    are the same page of different proposals."""
    return re.sub(r"/\d+(?=/|$)", "/<id>", re.sub(r"/[\w:-]{30,}(?=/|$)", "/<token>", path))


def reachable_pages(client, starts: list[str], *, limit: int = 60, per_kind: int = 1) -> dict[str, str]:
    """Paths (with their query) of up to `limit` distinct pages reached from `starts` through links, breadth
    first, at most `per_kind` of each page kind, each with its HTML; only pages answering 200 with HTML."""
    seen_kinds: dict[str, int] = {}
    queue, visited, found = list(starts), set(), {}
    while queue and len(found) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in visited or SKIP.search(parts.path):
            continue
        visited.add(path)
        kind = page_kind(parts.path)
        if seen_kinds.get(kind, 0) >= per_kind:
            continue
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # read to the end: the test client then closes the file
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        found[path] = response.content.decode()
        parser = _Links()
        parser.feed(found[path])
        for href in parser.hrefs:
            target = urljoin(path, urldefrag(href)[0])
            split = urlsplit(target)
            if split.scheme in ("http", "https") and split.netloc not in ("", "testserver"):
                continue
            if split.scheme not in ("", "http", "https"):
                continue
            queue.append(split.path + (f"?{split.query}" if split.query else ""))
    return found
