"""An upload handler that refuses a file past a size limit while it streams.

Django's default handlers keep small files in memory and larger ones in a
temporary file, and only then could a view look at the size. This one writes
every chunk to a temporary file and counts the bytes as they arrive: past the
limit it stops the upload at once, so neither the disk nor the memory ever holds
more than the limit, whatever the client sends or claims in Content-Length.

Why ``connection_reset=True`` and ``drain()``: after a ``StopUpload`` without it,
Django reads the rest of the body by iterating over the stream, which yields
*lines*: a 50 MB file with no newline would be read into memory in one piece.
So the parser is told to leave the rest of the body alone, and the view drains it
in fixed-size chunks (the client then reads a proper 413 answer instead of a
reset connection).
"""

from __future__ import annotations

from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler

DRAIN_CHUNK_BYTES = 64 * 1024


class SizeLimitedUploadHandler(TemporaryFileUploadHandler):
    def __init__(self, request=None, *, max_bytes: int, max_files: int = 1):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.received = 0
        self.exceeded = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A body declared much bigger than its files may be is refused before any of it is written.
        # (The multipart envelope adds a little: allow 64 KiB for it.)
        if content_length and content_length > self.max_bytes * self.max_files + 64 * 1024:
            self.exceeded = True
        return None

    def new_file(self, *args, **kwargs):
        if self.exceeded:
            raise StopUpload(connection_reset=True)
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.exceeded = True
            # The parser then closes (and so deletes) the temporary file.
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)


def drain(request) -> None:
    """Read and drop what is left of the request body, a fixed-size chunk at a time."""
    while request.read(DRAIN_CHUNK_BYTES):
        pass
