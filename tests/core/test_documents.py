"""What foundry/documents.py makes of a PDF that does more than show pages: a script, an
embedded file or a program launch is refused (for CVs and attachments alike); a plain PDF
and one with a web link pass."""

from __future__ import annotations

import pytest

from foundry.documents import DocumentKind, Refused, identify, read_pdf
from tests.collaborations import documents


@pytest.mark.parametrize(
    "content",
    [
        documents.pdf_with_script(),
        documents.pdf_with_embedded_file(),
        documents.pdf_launching_a_program(),
    ],
    ids=["script", "embedded-file", "launch"],
)
def test_an_active_pdf_is_refused(content):
    assert read_pdf(content).active
    with pytest.raises(Refused) as refused:
        identify(content)
    assert refused.value.reason == "active_content"


@pytest.mark.parametrize("content", [documents.pdf(), documents.pdf_with_a_link()])
def test_a_plain_pdf_and_one_with_a_web_link_pass(content):
    assert not read_pdf(content).active
    assert identify(content).kind is DocumentKind.PDF
