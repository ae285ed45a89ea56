"""serve answers a missing page with the site's own 404 page, in the language of the path, as a host does."""

from __future__ import annotations



from helpers.serve import ServeProcess, sample_server as server  # noqa: F401 (fixture)


def test_a_missing_page_shows_the_404_page_of_its_language(server: ServeProcess) -> None:
    status, text = server.get("/zh-CN/no-such-article/")
    assert status == 404
    assert '<html lang="zh-CN"' in text and "Page not found" in text  # the fixture leaves its heading untranslated
    status, text = server.get("/no-such-file.html")
    assert status == 404 and "Page not found" in text and "Error response" not in text
    status, text = server.get("/xx-YY/../../etc/passwd")
    assert status in (400, 404) and "root:" not in text
