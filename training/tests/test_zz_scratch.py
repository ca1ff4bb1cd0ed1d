from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_count(verified_client, alice, module):
    c = verified_client(alice)
    with CaptureQueriesContext(connection) as ctx:
        r = c.get("/")
    assert r.status_code == 200
    for q in ctx.captured_queries:
        print(q["sql"][:200])
    print(len(ctx.captured_queries))
