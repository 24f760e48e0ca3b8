from againsthate.services import tokens


def test_a_new_token_is_url_safe_and_different_each_time():
    made = {tokens.new() for _ in range(50)}
    assert len(made) == 50
    assert all(len(t) == 43 and t.replace("-", "").replace("_", "").isalnum() for t in made)
    assert len(tokens.new(24)) == 32


def test_only_the_hash_is_stored_and_it_is_stable():
    token = tokens.new()
    assert tokens.digest(token) == tokens.digest(token)
    assert len(tokens.digest(token)) == 64 and token not in tokens.digest(token)
    assert tokens.digest(token) != tokens.digest(token + "x")


def test_comparing_tokens():
    assert tokens.same("abc", "abc")
    assert not tokens.same("abc", "abd")
    assert not tokens.same(None, "abc") and not tokens.same("abc", None)
    assert not tokens.same(None, None)  # nothing expected: nothing matches
    assert not tokens.same("١٢٣", "123")  # any text a form sends is compared, not refused
