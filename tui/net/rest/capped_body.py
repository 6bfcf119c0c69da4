"""An answer's body read within a size limit, with gzip or deflate decoded on the way.

httpx decodes ``Content-Encoding`` only when a body is read through it (``aread``,
``aiter_bytes``). The clients stream the raw bytes instead, to stop at the size limit, so they
decode here. The limit holds for the bytes on the wire and for the decoded bytes, and decoding
never runs past it: a few kilobytes of gzip can expand to gigabytes (a "gzip bomb"), so each
chunk is decoded with zlib's ``max_length`` set to what is still allowed.
"""

from __future__ import annotations

import zlib

ACCEPT_ENCODING = "gzip, deflate"  # what the clients ask for: exactly what this module reads
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class BodyTooLarge(Exception):
    """The body is over the limit; ``str()`` says how far it got."""


class BodyUndecodable(Exception):
    """The body's ``Content-Encoding`` is not one the console reads, or the data is broken."""


class CappedBody:
    """Collects a body chunk by chunk; :meth:`feed` raises :class:`BodyTooLarge` at the limit."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in _WBITS):
            raise BodyUndecodable(f"the body is encoded as {content_encoding!r}")
        self.coding = codings[0] if codings else ""
        self.limit = limit
        self.received = 0  # bytes on the wire
        self.size = 0  # bytes decoded
        self._chunks: list[bytes] = []
        self._decoder = self._new_decoder() if self.coding else None
        self._started = False

    def _new_decoder(self) -> zlib._Decompress:
        return zlib.decompressobj(_WBITS[self.coding])

    def feed(self, chunk: bytes) -> None:
        self.received += len(chunk)
        if self.received > self.limit:
            raise BodyTooLarge(f"more than {self.received:,} bytes sent")
        if self._decoder is None:
            self._keep(chunk)
            return
        data = chunk
        while data:
            data = self._decode(data)

    def _decode(self, data: bytes) -> bytes:
        """Decode what the limit allows; returns the input still to decode."""
        assert self._decoder is not None
        try:
            out = self._decoder.decompress(data, self.limit - self.size + 1)
        except zlib.error as exc:
            if self.coding == "deflate" and not self._started:
                # Some servers send raw deflate, without the zlib wrapper HTTP asks for.
                self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                self._started = True
                return data
            raise BodyUndecodable(f"the {self.coding} data is broken ({exc})") from None
        self._started = True
        self._keep(out)
        if self._decoder.eof:
            rest = self._decoder.unused_data
            if rest and self.coding != "deflate":  # gzip members may follow one another
                self._decoder = self._new_decoder()
                return rest
            return b""
        return self._decoder.unconsumed_tail

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            if self.coding:
                raise BodyTooLarge(f"more than {self.limit:,} bytes after {self.coding} decoding")
            raise BodyTooLarge(f"more than {self.size:,} bytes sent")
        if data:
            self._chunks.append(data)

    def result(self) -> bytes:
        """The whole decoded body; :class:`BodyUndecodable` if the encoded data ended early."""
        if self._decoder is not None and self.received and not self._decoder.eof:
            raise BodyUndecodable(f"the {self.coding} data ends early")
        return b"".join(self._chunks)
