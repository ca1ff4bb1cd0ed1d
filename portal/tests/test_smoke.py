def test_it_redirects_anonymous_people_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_it_shows_practitioner_home_after_second_factor(verified_client, alice):
    client = verified_client(alice)
    response = client.get("/")
    assert response.status_code == 200
    assert "Welcome, Alice" in response.content.decode()
