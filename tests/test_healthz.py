def test_healthz_answers_without_sign_in_or_database(db, client, django_assert_num_queries):
    """The load balancer's check must not depend on the database or a session."""
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200 and response.content == b"ok"
