"""Uploads from file objects (issue 12, item 6): the content is what the object
itself reads, streamed in chunks (never read whole), rewound for a retry when
it can be; never a file that merely has the same name on disk.

A small HTTP server on loopback stands in for ``POST /files`` and keeps every
body it receives, so the tests compare bytes."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import os
import socket
import threading
import zipfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from conftest import KEY, Mock

import lasso
from lasso import AsyncLassoClient, LassoClient

CONTENT = b"".join(b"row %06d;Steel mug;350 ml;EUR 12.99\n" % i for i in range(40_000))  # ~1.4 MB


class Upload:
    """One request the server received."""

    def __init__(self, head: Dict[str, str], body: bytes) -> None:
        self.head = head
        self.body = body

    @property
    def content(self) -> bytes:
        """The bytes of the multipart part named ``file``."""
        boundary = self.head["content-type"].split("boundary=", 1)[1].encode()
        part = self.body.split(b"--" + boundary)[1]
        headers, content = part.split(b"\r\n\r\n", 1)
        assert b'name="file"' in headers
        assert content.endswith(b"\r\n")
        return content[:-2]

    @property
    def filename(self) -> str:
        part = self.body.split(b"\r\n\r\n", 1)[0].decode()
        return part.split('filename="', 1)[1].split('"', 1)[0]


class FilesServer:
    """Answers ``POST /api/v1/files`` with the statuses given, one per request
    (then ``201``), after reading the whole body (Content-Length or chunked)."""

    def __init__(self, statuses: Tuple[int, ...] = ()) -> None:
        self.statuses = list(statuses)
        self.uploads: List[Upload] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.url = "http://127.0.0.1:%d/api/v1" % self._sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as r:
            while True:
                try:
                    upload = self._read(r)
                except (OSError, ValueError, IndexError):
                    return  # the client gave up in the middle of a request: not an upload
                if upload is None:
                    return
                self.uploads.append(upload)
                status = self.statuses.pop(0) if self.statuses else 201
                if status == 201:
                    answer = json.dumps(
                        {"id": "file_%d" % len(self.uploads), "filename": upload.filename, "size": len(upload.content)}
                    ).encode()
                    conn.sendall(
                        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                        % (len(answer), answer)
                    )
                else:
                    answer = b'{"error_type": "service_unavailable", "message": "try again"}'
                    conn.sendall(
                        b"HTTP/1.1 %d Oops\r\nContent-Type: application/json\r\nRetry-After: 0\r\nContent-Length: %d\r\n\r\n%s"
                        % (status, len(answer), answer)
                    )

    @staticmethod
    def _read(r: Any) -> Optional[Upload]:
        """One whole request, or None at the end of the connection (ValueError: cut short)."""
        if not r.readline():
            return None
        head: Dict[str, str] = {}
        while True:
            h = r.readline().decode()
            if not h.endswith("\r\n"):
                raise ValueError("cut short")
            if h == "\r\n":
                break
            name, value = h.split(":", 1)
            head[name.strip().lower()] = value.strip()
        if "content-length" in head:
            body = r.read(int(head["content-length"]))
            if len(body) != int(head["content-length"]):
                raise ValueError("cut short")
        else:
            assert head.get("transfer-encoding") == "chunked", head
            body = b""
            while True:
                size = int(r.readline().split(b";")[0], 16)
                chunk = r.read(size + 2)
                if len(chunk) != size + 2:
                    raise ValueError("cut short")
                if size == 0:
                    break
                body += chunk[:-2]
        upload = Upload(head, body)
        upload.content  # a whole multipart body
        return upload

    def close(self) -> None:
        self._sock.close()


@pytest.fixture
def server() -> Iterator[FilesServer]:
    s = FilesServer()
    yield s
    s.close()


def client_of(server: FilesServer, **kw: Any) -> LassoClient:
    return LassoClient(KEY, base_url=server.url, **kw)


class Recording(io.RawIOBase):
    """A binary file object that records the size of each read and refuses to
    be read whole (``read()`` / ``read(-1)``); seekable or not."""

    def __init__(self, data: bytes, seekable: bool = True) -> None:
        self._data = data
        self._pos = 0
        self._seekable = seekable
        self.reads: List[int] = []

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._seekable

    def read(self, n: int = -1) -> bytes:  # type: ignore[override]
        assert n is not None and n > 0, "read whole"
        self.reads.append(n)
        chunk = self._data[self._pos : self._pos + n]
        self._pos += len(chunk)
        return chunk

    def readall(self) -> bytes:
        raise AssertionError("read whole")

    def tell(self) -> int:
        if not self._seekable:
            raise io.UnsupportedOperation("tell")
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        if not self._seekable:
            raise io.UnsupportedOperation("seek")
        self._pos = {0: 0, 1: self._pos, 2: len(self._data)}[whence] + offset
        return self._pos


def test_a_gzip_file_uploads_what_it_reads_not_the_compressed_file_of_its_name(
    server: FilesServer, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv.gz"
    with gzip.open(path, "wb") as w:
        w.write(CONTENT)
    with gzip.open(path, "rb") as f:
        assert os.path.isfile(f.name)  # the name is a real file: the compressed one
        stored = client_of(server).files.upload(f, "rows.csv")
    assert server.uploads[0].content == CONTENT
    assert stored["size"] == len(CONTENT)
    assert server.uploads[0].filename == "rows.csv"


def test_a_zip_member_uploads_its_own_bytes_not_a_file_of_that_name_in_the_working_directory(
    server: FilesServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("x.txt").write_bytes(b"the wrong file, in the working directory\n")
    with zipfile.ZipFile("bundle.zip", "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("x.txt", CONTENT)
    with zipfile.ZipFile("bundle.zip") as z, z.open("x.txt") as member:
        assert member.name == "x.txt" and os.path.isfile(member.name)
        client_of(server).files.upload(member)
    assert server.uploads[0].content == CONTENT
    assert server.uploads[0].filename == "x.txt"


def test_a_file_object_is_streamed_in_chunks_with_its_length(server: FilesServer) -> None:
    f = Recording(CONTENT)
    client_of(server).files.upload(f, "rows.csv")
    assert server.uploads[0].content == CONTENT
    # Several bounded reads, never one of the whole content.
    assert len(f.reads) >= 3 and max(f.reads) <= 1024 * 1024, f.reads
    # Seekable: its length is known, so the body has a Content-Length.
    assert int(server.uploads[0].head["content-length"]) == len(server.uploads[0].body)


def test_a_non_seekable_file_object_is_streamed_chunked(server: FilesServer) -> None:
    f = Recording(CONTENT, seekable=False)
    client_of(server).files.upload(f, "rows.csv")
    assert server.uploads[0].content == CONTENT
    assert server.uploads[0].head.get("transfer-encoding") == "chunked"
    assert len(f.reads) >= 3 and max(f.reads) <= 1024 * 1024


def test_upload_starts_at_the_current_position_and_a_retry_rewinds_there(tmp_path: Path) -> None:
    server = FilesServer(statuses=(503,))
    try:
        path = tmp_path / "rows.csv"
        path.write_bytes(b"HEADER TO SKIP\n" + CONTENT)
        with path.open("rb") as f:
            f.readline()
            client_of(server).files.upload(f, "rows.csv")
        assert [u.content == CONTENT for u in server.uploads] == [True, True]
    finally:
        server.close()


def test_a_seekable_object_is_rewound_for_a_retry() -> None:
    server = FilesServer(statuses=(503, 503))
    try:
        f = Recording(CONTENT)
        client_of(server, max_retries=2).files.upload(f, "rows.csv")
        assert [u.content == CONTENT for u in server.uploads] == [True, True, True]
    finally:
        server.close()


def test_a_non_seekable_object_cannot_be_retried_and_says_so() -> None:
    server = FilesServer(statuses=(503,))
    try:
        read, write = os.pipe()

        def feed() -> None:
            with os.fdopen(write, "wb") as w:
                w.write(CONTENT)

        threading.Thread(target=feed, daemon=True).start()
        with os.fdopen(read, "rb") as pipe:
            assert not pipe.seekable()
            with pytest.raises(lasso.LassoError, match="not seekable") as info:
                client_of(server).files.upload(pipe, "rows.csv")
        assert "bytes" in str(info.value) and "path" in str(info.value)
        assert len(server.uploads) == 1 and server.uploads[0].content == CONTENT
    finally:
        server.close()


def test_text_files_are_refused_with_a_clear_type_error(server: FilesServer, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(CONTENT)
    with path.open("r") as text:
        with pytest.raises(TypeError, match=r"binary mode \('rb'\)"):
            client_of(server).files.upload(text)
    with pytest.raises(TypeError, match=r"binary mode \('rb'\)"):
        client_of(server).files.upload(io.StringIO("a;b\n"), "rows.csv")  # type: ignore[arg-type]

    class Texty:
        """Has `read`, but it returns str."""

        def read(self, n: int = -1) -> str:
            return "a;b\n"

    with pytest.raises(TypeError, match=r"binary mode \('rb'\)"):
        client_of(server).files.upload(Texty(), "rows.csv")  # type: ignore[arg-type]
    assert server.uploads == []


def test_an_error_raised_by_read_is_raised_as_is(server: FilesServer) -> None:
    class Failing(Recording):
        def read(self, n: int = -1) -> bytes:  # type: ignore[override]
            if self.reads:
                raise OSError(5, "disk on fire")
            return super().read(n)

    with pytest.raises(OSError, match="disk on fire"):
        client_of(server).files.upload(Failing(CONTENT), "rows.csv")


def test_a_file_object_that_ends_before_its_length_is_an_error(server: FilesServer) -> None:
    class Shrinking(Recording):
        def read(self, n: int = -1) -> bytes:  # type: ignore[override]
            return b"" if self.reads else super().read(min(n, 10))

    with pytest.raises(OSError, match=r"ended after 10 of %d bytes" % len(CONTENT)):
        client_of(server, max_retries=0).files.upload(Shrinking(CONTENT), "rows.csv")


def test_the_async_client_streams_file_objects_too(server: FilesServer, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv.gz"
    with gzip.open(path, "wb") as w:
        w.write(CONTENT)

    async def main() -> Dict[str, Any]:
        async with AsyncLassoClient(KEY, base_url=server.url) as client:
            with gzip.open(path, "rb") as f:
                first = await client.files.upload(f, "rows.csv")
            plain = Recording(CONTENT, seekable=False)
            await asyncio.gather(client.files.upload(plain, "a.csv"), client.files.upload(io.BytesIO(CONTENT), "b.csv"))
            return first

    assert asyncio.run(main())["size"] == len(CONTENT)
    assert [u.content == CONTENT for u in server.uploads] == [True, True, True]


def test_a_file_object_upload_against_lasso_mock(mock: Mock, tmp_path: Path) -> None:
    path = tmp_path / "catalog.csv.gz"
    with gzip.open(path, "wb") as w:
        w.write(CONTENT)
    with gzip.open(path, "rb") as f:
        stored = LassoClient(KEY, base_url=mock.url).files.upload(f, "catalog.csv")
    assert stored["size"] == len(CONTENT)
    assert stored["filename"] == "catalog.csv"
