import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.site.test_performance import big_article  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/en/articles/big/",
        "/fr/articles/big/",
        "/en/",
        "/en/proposals/compare/?slugs=big-0,big-1",
        "/en/proposals/",
        "/api/v1/articles/big/ninjs/",
        "/en/feed/",
    ],
)
def test_count(client, big_article, url):  # noqa: F811
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    print("QC", url, r.status_code, len(ctx.captured_queries))
