"""/health/ answers without a session and says when the database is down."""

from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_answers_ok_without_signing_in(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "sessionid" not in response.cookies


def test_health_reports_a_database_that_does_not_answer(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError("down")):
        response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert b"down" not in response.content
