"""Browser tests read a page's width only through tests/browser/measure.py, which waits for
the page's stylesheets first (read earlier, the width is a race the test loses under load)."""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).parent
WIDTH_READS = re.compile(r"scrollWidth|PHONE_WIDTH\s*=\s*\d")


def test_only_measure_py_reads_a_pages_width():
    readers = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(HERE.glob("*.py"))
        if path.name not in {"measure.py", Path(__file__).name}
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if WIDTH_READS.search(line)
    ]
    assert not readers, "measure widths with tests.browser.measure:\n" + "\n".join(readers)
