"""Browsers ask every site for /favicon.ico, whatever the page's <link>s say."""

import io

from PIL import Image


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "public" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= icon.info["sizes"]
