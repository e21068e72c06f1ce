"""Pages are compressed for the slow links of remote communes (issue 12, point 9)."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/dang-nhap/", "/chuyen-muc/"])
def test_pages_are_sent_compressed_to_browsers_that_accept_it(client, path):
    plain = client.get(path)
    packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(packed.content)
    # (Django pads each compressed body with up to 100 random bytes against BREACH)
    assert len(packed.content) < len(body) * 0.7
    assert body.decode().count("</html>") == 1
