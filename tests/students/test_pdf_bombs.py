"""A PDF that is small on the wire and huge once unpacked is refused quickly, in bounded
memory, with a message: every place a PDF is read goes through `pdf_page_count`."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zlib

import pytest
import sqlalchemy as sa

from foundry.errors import InvalidInput
from foundry.students.models import CVDocument
from foundry.students.services import pdf_page_count
from tests.students.test_cvs import _upload


def object_stream_bomb(unpacked: int = 300 * 2**20) -> bytes:
    """A one-page PDF whose page tree sits in an object stream that inflates to `unpacked`
    bytes (about 300 KB on disk for 300 MB)."""
    header = b"2 0 "
    body = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>" + b" " * unpacked
    packed = zlib.compress(header + b"\n" + body, 9)
    out, offsets = io.BytesIO(), {}
    out.write(b"%PDF-1.5\n")

    def obj(number: int, content: bytes) -> None:
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + content + b"\nendobj\n")

    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
    obj(
        4,
        b"<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
        % (len(header) + 1, len(packed))
        + packed
        + b"\nendstream",
    )
    xref_at = out.tell()
    rows = [
        b"\x00" + struct.pack(">I", 0) + b"\xff\xff",
        b"\x01" + struct.pack(">I", offsets[1]) + b"\x00\x00",
        b"\x02" + struct.pack(">I", 4) + b"\x00\x00",  # object 2 lives in the stream
        b"\x01" + struct.pack(">I", offsets[3]) + b"\x00\x00",
        b"\x01" + struct.pack(">I", offsets[4]) + b"\x00\x00",
        b"\x01" + struct.pack(">I", xref_at) + b"\x00\x00",
    ]
    table = b"".join(rows)
    out.write(
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\n"
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def test_a_decompression_bomb_is_refused_fast_and_in_bounded_memory(no_db):
    bomb = object_stream_bomb()
    assert len(bomb) < 400_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InvalidInput, match="unpacks to far more than a CV needs"):
            pdf_page_count(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2
    assert peak < 64 * 2**20


def test_a_decompression_bomb_uploaded_as_a_cv_is_a_400_and_stores_nothing(
    client, world, login_as, post_form, db
):
    login_as(world.student_a1)
    response = _upload(post_form, object_stream_bomb(), filename="cv.pdf")
    assert response.status_code == 400
    assert "unpacks to far more than a CV needs" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CVDocument)) == 0


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>",
        b"%PDF-1.7\n" + b"[" * 5000,
        b"%PDF-1.5\nxref\n0 99999999999\n",
    ],
    ids=["self-referencing-page-tree", "deep-nesting", "absurd-xref"],
)
def test_malformed_pdfs_are_refused_with_a_message_not_a_crash(no_db, content):
    with pytest.raises(InvalidInput):
        pdf_page_count(content)
