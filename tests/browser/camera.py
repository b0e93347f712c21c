"""A camera for the browser tests: Chromium's fake capture device plays a video file
instead of a webcam, so a page's QR reader (static/js/qr-scan.js) reads a real picture of
a ticket's QR code, as it would at the door. The video is one still frame in YUV4MPEG2,
the format Chromium's fake device reads, drawn from the QR code segno makes (the same
library as the tickets)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import segno

WIDTH, HEIGHT = 640, 480
DARK, LIGHT, NEUTRAL = 16, 235, 128  # video levels of luma; chroma with no colour


def write_qr_video(text: str, path: Path) -> Path:
    """A one-frame video of the QR code of `text`, black on white, centred."""
    qr = segno.make(text, error="m")
    size = qr.symbol_size(scale=1, border=4)[0]
    scale = min(WIDTH, HEIGHT) // size
    rows = [bytes(row) for row in qr.matrix_iter(scale=scale, border=4)]
    left, top = (WIDTH - len(rows[0])) // 2, (HEIGHT - len(rows)) // 2
    luma = bytearray([LIGHT]) * (WIDTH * HEIGHT)
    for y, row in enumerate(rows):
        start = (top + y) * WIDTH + left
        luma[start : start + len(row)] = bytes(DARK if dark else LIGHT for dark in row)
    chroma = bytes([NEUTRAL]) * (WIDTH // 2 * HEIGHT // 2)
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


@contextmanager
def browser_filming(browser, video: Path, executable: str, args: list[str]) -> Iterator:
    """Another Chromium (from the session's Playwright) whose camera films `video`, the
    permission prompt answered yes."""
    filming = browser.browser_type.launch(
        executable_path=executable,
        args=[
            *args,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        yield filming
    finally:
        filming.close()
