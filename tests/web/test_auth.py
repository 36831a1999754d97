"""Analyst login and logout, the CSRF check on every POST, and `login_required`."""

from __future__ import annotations

from werkzeug.security import generate_password_hash

from web import create_app
from web.auth import login_required


def test_login_page_has_a_csrf_token(client, csrf):
    response = client.get("/login")
    assert response.status_code == 200
    assert len(csrf(response.get_data(as_text=True))) >= 32


def test_post_without_or_with_wrong_token_is_400(client, csrf):
    assert client.post("/login", data={"password": "团长也要赚钱-2026"}).status_code == 400
    csrf(client.get("/login").get_data(as_text=True))  # the session now has a token; this one is not it
    response = client.post("/login", data={"password": "团长也要赚钱-2026", "csrf_token": "forged"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/api/models").status_code == 401


def test_wrong_password(client, login):
    response = login("123456")
    assert response.status_code == 200
    assert "密码不对" in response.get_data(as_text=True)
    assert client.get("/api/models").status_code == 401


def test_login_and_logout(client, login, csrf):
    response = login()
    assert response.status_code == 302 and response.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    assert "已登录为分析师" in html and "退出" in html
    assert client.get("/api/models").status_code == 200
    assert client.get("/logout").status_code == 405  # logging out changes state: POST only
    response = client.post("/logout", data={"csrf_token": csrf(html)})
    assert response.status_code == 302
    assert client.get("/api/models").status_code == 401


def test_login_follows_only_local_next(client, csrf):
    for target, expected in (("/week/2026-W47", "/week/2026-W47"), ("//evil.example/x", "/"),
                             ("https://evil.example/", "/")):
        token = csrf(client.get("/login").get_data(as_text=True))
        response = client.post("/login", query_string={"next": target},
                               data={"csrf_token": token, "password": "团长也要赚钱-2026"})
        assert response.headers["Location"] == expected


def test_password_hash_takes_precedence(settings, csrf):
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE_URL": settings.database_url,
                      "ANALYST_PASSWORD_HASH": generate_password_hash("哈希口令"),
                      "ANALYST_PASSWORD": "plain"})
    client = app.test_client()
    for password, status in (("plain", 200), ("哈希口令", 302)):
        token = csrf(client.get("/login").get_data(as_text=True))
        assert client.post("/login", data={"csrf_token": token, "password": password}).status_code == status


def test_login_disabled_without_a_password(settings):
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE_URL": settings.database_url,
                      "ANALYST_PASSWORD_HASH": None, "ANALYST_PASSWORD": None})
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    assert "OPPRADAR_ANALYST_PASSWORD_HASH" in html and 'type="password"' not in html
    with client.session_transaction() as session:
        session["csrf_token"] = "t0ken"
    assert client.post("/login", data={"csrf_token": "t0ken", "password": ""}).status_code == 403
    assert client.get("/api/models").status_code == 401


def test_login_required_redirects_pages_to_login(app, client):
    app.add_url_rule("/analyst-only", "analyst_only", login_required(lambda: "secret"))
    response = client.get("/analyst-only")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/analyst-only"
