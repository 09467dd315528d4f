"""Stage 8's API with FastAPI's test client: every endpoint, its JSON, its errors, its auth."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storylens.cli import app as cli
from storylens.web.app import create_app

HTML = {"accept": "text/html"}
TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def client(corpus_db):
    return TestClient(create_app(corpus_db))


@pytest.fixture
def writable(corpus_db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(corpus_db, copy)
    return TestClient(create_app(copy, token=TOKEN, max_upload_bytes=200_000, max_files=3, max_urls=2))


def _main(client) -> dict:
    return max(client.get("/api/stories").json()["stories"], key=lambda s: s["articles"])


def test_stories_json_and_filters(client):
    data = client.get("/api/stories").json()
    assert data["total"] == 2 and {"id", "title", "article_ids", "outlets", "first_seen", "last_updated",
                                   "days"} <= set(data["stories"][0])
    assert client.get("/api/stories", params={"outlet": "Eastbank Sports"}).json()["total"] == 1
    assert client.get("/api/stories", params={"q": "Velloso"}).json()["total"] == 1
    assert client.get("/api/stories", params={"since": "2026-03-12"}).json()["total"] == 1
    assert client.get("/api/stories", params={"until": "2026-03-09"}).json()["total"] == 0
    marsk = client.get("/api/search", params={"q": "Helena Marsk"}).json()["entities"][0]
    by_entity = client.get("/api/stories", params={"entity": marsk["id"]}).json()
    assert by_entity["total"] == 1 and "Colbeck" in by_entity["stories"][0]["title"]
    by_name = client.get("/api/stories", params={"entity": "Marsk"}).json()
    assert by_name["total"] == 1 and by_name["entity_name"] == "Helena Marsk"
    assert client.get("/api/stories", params={"entity": "Nobody Atall"}).json()["total"] == 0


def test_story_json_holds_the_briefing_and_matrix(client):
    story = _main(client)
    data = client.get(f"/api/stories/{story['id']}").json()
    assert data["briefing"]["schema"] == "storylens.briefing/1"
    matrix = data["matrix"]
    assert matrix["outlets"] and matrix["claims"]
    assert all(len(row["cells"]) == len(matrix["outlets"]) for row in matrix["claims"])
    assert data["publications"] and all("outlet" in p for p in data["publications"])


def test_article_json_marks_sentences_and_claims(client):
    story = client.get(f"/api/stories/{_main(client)['id']}").json()
    citation = next(c for claim in story["briefing"]["claims"] if claim["status"] == "disputed"
                    for c in claim["citations"])
    data = client.get(f"/api/articles/{citation['article_id']}", params={"s": citation["sentence"]}).json()
    sentences = [s for p in data["paragraphs"] for s in p]
    [cited] = [s for s in sentences if s["cited"]]
    assert cited["index"] == citation["sentence"] and cited["claim"] == "disputed"
    assert data["story_id"] == story["story"]["id"]
    assert any(seg["entity"] for s in sentences for seg in s["segments"])


def test_entity_json(client):
    marsk = client.get("/api/search", params={"q": "Marsk"}).json()["entities"][0]
    data = client.get(f"/api/entities/{marsk['id']}").json()
    assert data["entity"]["name"] == "Helena Marsk" and data["quotes"] and data["stories"] and data["days"]


def test_search_over_articles_quotes_and_entities(client):
    data = client.get("/api/search", params={"q": "rebuilt safely"}).json()
    assert data["quotes"] and "<mark>" in data["quotes"][0]["snippet_html"]
    assert "<mark>" not in data["quotes"][0]["snippet"]
    assert client.get("/api/search", params={"q": "Colbeck"}).json()["articles"]
    assert client.get("/api/search", params={"q": 'AND OR "('}).status_code == 200  # never a syntax error


def test_pages_render_with_their_json_twin(client):
    story = _main(client)
    for url in ("/", f"/stories/{story['id']}", "/search?q=bridge"):
        page = client.get(url, headers=HTML)
        assert page.status_code == 200 and 'rel="alternate" type="application/json"' in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
    html = client.get(f"/stories/{story['id']}", headers=HTML).text
    for section in ("summary", "agreed", "single", "disputes", "quotes", "matrix", "coverage", "lineage",
                    "timeline", "entities"):
        assert f'id="{section}"' in html
    assert "<svg" in html and 'class="cite"' in html


def test_errors_are_json_with_the_right_status(client):
    assert client.get("/api/stories/nope").json() == {
        "error": {"status": 404, "message": "no story with id 'nope'; see `storylens stories`"}}
    assert client.get("/api/articles/ffff").status_code == 404
    assert client.get("/api/entities/999999").status_code == 404
    assert client.get("/api/entities/abc").status_code == 422
    assert client.get("/api/stories", params={"since": "yesterday"}).status_code == 422
    assert client.get("/api/stories", params={"page": 0}).status_code == 422
    assert client.get("/api/articles/x", params={"s": -1}).status_code == 422
    assert client.get("/nowhere").status_code == 404
    page = client.get("/stories/nope", headers=HTML)
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]


def test_read_only_by_default(client):
    assert client.post("/api/ingest", data={"urls": "https://example.org/a"}).status_code == 403
    assert client.delete("/api/articles/abc").status_code == 403


def test_writes_need_the_token(writable):
    assert writable.post("/api/ingest", data={"urls": "https://example.org/a"}).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert writable.delete("/api/articles/abc", headers=wrong).status_code == 401


def test_ingest_over_http_and_delete(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = ("Harbour pilots in Varenholt went on strike on Friday over pay, the pilots' union said.\n\n"
            "The union said 40 pilots had stopped work and ships were waiting outside the estuary.")
    sent = writable.post("/api/ingest", headers=auth,
                         files=[("files", ("../../etc/passwd pilots.txt", text.encode(), "text/plain"))])
    assert sent.status_code == 200, sent.text
    report = sent.json()
    assert report["added"] == 1 and report["stories"] and "/" not in report["outcomes"][0]["source"]
    article_id = report["outcomes"][0]["article_id"]
    assert writable.get(f"/api/articles/{article_id}").status_code == 200
    assert writable.delete(f"/api/articles/{article_id}", headers=auth).status_code == 204
    assert writable.get(f"/api/articles/{article_id}").status_code == 404
    assert writable.delete(f"/api/articles/{article_id}", headers=auth).status_code == 404
    again = writable.post("/api/ingest", headers=auth, files=[("files", ("more.txt", (
        b"Ships waiting outside the Varenholt estuary were allowed in on Saturday after the pilots' strike "
        b"ended, the port authority said.\n\nThe authority said 12 ships had waited for up to two days, and "
        b"that the pilots had accepted a new pay offer."), "text/plain"))])
    assert again.status_code == 200 and again.json()["added"] == 1, again.text  # stories still save


def test_ingest_limits(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    upload = [("files", ("big.txt", b"x" * 300_000, "text/plain"))]
    big = writable.post("/api/ingest", headers=auth, files=upload)
    assert big.status_code == 413 and "too large" in big.json()["error"]["message"]
    many = writable.post("/api/ingest", headers=auth, data={"urls": "https://a.example/1 https://a.example/2 "
                                                                    "https://a.example/3"})
    assert many.status_code == 413
    assert writable.post("/api/ingest", headers=auth, data={"urls": "file:///etc/passwd"}).status_code == 422
    assert writable.post("/api/ingest", headers=auth).status_code == 422


def test_hostile_title_is_text_everywhere(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.json").write_text(json.dumps({
        "title": "<script>alert(1)</script> Ferry returns", "outlet": "<b>Evil</b> Times",
        "text": "The ferry returned to service on Monday, the operator said. <img src=x onerror=alert(2)>",
        "url": "javascript:alert(3)", "published": "2026-04-01T10:00:00Z"}), encoding="utf-8")
    db = tmp_path / "h.db"
    CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "-w", "1"])
    client = TestClient(create_app(db))
    story = client.get("/api/stories").json()["stories"][0]
    article = story["article_ids"][0]
    for url in ("/", f"/stories/{story['id']}", f"/articles/{article}", "/search?q=ferry"):
        html = client.get(url, headers=HTML).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>Evil" not in html
        assert "javascript:alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/articles/{article}", headers=HTML).text


def test_openapi_describes_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}",
                 "/api/entities/{entity_id}", "/api/search", "/api/ingest"):
        assert path in paths


def test_concurrent_requests_to_a_real_server_all_succeed(corpus_db):
    import socket
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    import httpx
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(corpus_db), host="127.0.0.1", port=port,
                                           log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        stories = httpx.get(f"{base}/api/stories").json()["stories"]
        story = max(stories, key=lambda s: s["articles"])["id"]
        paths = ("/api/stories", f"/api/stories/{story}", "/search?q=bridge", "/")
        urls = [f"{base}{path}" for path in paths]
        with ThreadPoolExecutor(max_workers=6) as pool:
            codes = list(pool.map(lambda url: httpx.get(url, timeout=30).status_code, urls * 20))
        assert codes == [200] * len(codes)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
