"""An upload handler that refuses a file past a size limit while it streams.

Django's default handlers keep small files in memory and larger ones in a
temporary file, and only then could a view look at the size. This one writes
every chunk to a temporary file and counts the bytes as they arrive: past the
limit it stops the upload at once (the rest of the body is read and thrown
away, chunk by chunk), so neither the disk nor the memory ever holds more than
the limit, whatever the client sends or claims in Content-Length.
"""

from __future__ import annotations

from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler


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
            raise StopUpload(connection_reset=False)
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.exceeded = True
            # The parser then closes (and so deletes) the temporary file.
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)
