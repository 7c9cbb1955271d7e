import io

import filetype

from guichet.demo.files import pdf_document, png_card


def test_pdf_document_is_a_pdf_with_the_text() -> None:
    """The generated PDF is recognised as a PDF and ends with the EOF marker."""
    content = pdf_document("Carte d'identité", ["DUPONT Hélène (née MARTIN)", "1 rue (bis)"])
    assert filetype.guess_mime(io.BytesIO(content).read(261)) == "application/pdf"
    assert content.rstrip().endswith(b"%%EOF")
    assert b"DUPONT H\xe9l\xe8ne \\(n\xe9e MARTIN\\)" in content


def test_png_card_is_a_png() -> None:
    """The generated image is a PNG of the requested size."""
    content = png_card((10, 20, 30), width=40, height=20)
    assert filetype.guess_mime(content) == "image/png"
    assert int.from_bytes(content[16:20], "big") == 40
