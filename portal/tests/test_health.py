"""/healthz: what a load balancer or uptime check asks before sending people our way."""

from django.test import override_settings

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_it_reports_healthy_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_it_answers_without_signing_in(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200


def test_it_answers_a_person_who_has_not_finished_the_second_factor(client, alice):
    client.force_login(alice)

    response = client.get("/healthz")

    assert response.status_code == 200


def test_it_is_never_cached(client, db):
    response = client.get("/healthz")

    assert response["Cache-Control"] == "no-store"


def test_it_reports_unavailable_when_redis_does_not_answer(client, db):
    unreachable_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
        }
    }
    with override_settings(REDIS_URL=UNREACHABLE_REDIS, CACHES=unreachable_cache):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "redis": "unavailable"}


def test_it_answers_over_plain_http_when_everything_else_redirects_to_https(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True

    health = client.get("/healthz")
    sign_in_page = client.get("/account/sign-in/")

    assert health.status_code == 200
    assert sign_in_page.status_code == 301
