"""The text of a PDF the portal made (fpdf2 with embedded Unicode fonts), for tests to read: each content
stream's strings mapped back through the ToUnicode map of the font selected at that point. Enough for fpdf2's
output; not a PDF parser for the world's files."""

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_TOKEN = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj|<([0-9A-Fa-f]*)>\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    objects = {}
    for number, body in _OBJECT.findall(data):
        head, _sep, stream = body.partition(b"stream")
        if stream:
            # The stream is exactly /Length bytes after the keyword's end of line: compressed data may itself end
            # in a CR or LF byte, so stripping line ends would cut it (a flaky "truncated stream").
            stream = stream[2:] if stream.startswith(b"\r\n") else stream[1:] if stream[:1] in b"\r\n" else stream
            length = re.search(rb"/Length (\d+)(?! \d+ R)", head)
            stream = stream[:int(length.group(1))] if length else stream.rsplit(b"endstream", 1)[0].rstrip(b"\r\n")
            if b"/FlateDecode" in head:
                stream = zlib.decompress(stream)
        objects[int(number)] = (head, stream)
    return objects


def _unicode_map(stream: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = ord(bytes.fromhex(dst.decode()).decode("utf-16-be"))
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _literal(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i:i + 1] == b"\\":
            nxt = raw[i + 1:i + 2]
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
        else:
            out += raw[i:i + 1]
            i += 1
    return bytes(out)


def pdf_text(data: bytes) -> str:
    """Every shown string in page order, one text operation per line."""
    objects = _objects(data)
    maps: dict[bytes, dict[int, str]] = {}
    for head, _stream in objects.values():
        for name, number in re.findall(rb"/(F\d+)\s+(\d+) 0 R", head):
            font_head = objects.get(int(number), (b"", b""))[0]
            unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", font_head)
            if unicode_ref:
                maps[name] = _unicode_map(objects[int(unicode_ref.group(1))][1])
    lines, current = [], {}
    for _head, stream in objects.values():
        if b"BT" not in stream or b"begincmap" in stream:
            continue
        for font, literal, hexed in _TOKEN.findall(stream):
            if font:
                current = maps.get(font, {})
                continue
            raw = bytes.fromhex(hexed.decode()) if hexed else _literal(literal)
            lines.append("".join(current.get(int.from_bytes(raw[i:i + 2], "big"), "\ufffd")
                                 for i in range(0, len(raw) - 1, 2)))
    return "\n".join(lines)
