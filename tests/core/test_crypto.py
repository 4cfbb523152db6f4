import pytest

from trithuc.core import crypto


def test_round_trip_and_ciphertext_hides_the_text():
    token = crypto.encrypt("001203004567")
    assert token.startswith("enc1:")
    assert "001203004567" not in token
    assert crypto.decrypt(token) == "001203004567"
    assert crypto.encrypt("001203004567") != token  # random IV


def test_wrong_key_is_an_error_not_garbage(settings):
    token = crypto.encrypt("bí mật")
    settings.TRITHUC_ENCRYPTION_KEY = "another-key-another-key-another-key"
    crypto._fernet.cache_clear()
    with pytest.raises(ValueError):
        crypto.decrypt(token)


def test_keyed_hash_is_stable_and_keyed(settings):
    a = crypto.keyed_hash("001203004567")
    assert a == crypto.keyed_hash("001203004567")
    assert a != crypto.keyed_hash("001203004568")
    settings.TRITHUC_ENCRYPTION_KEY = "another-key-another-key-another-key"
    assert crypto.keyed_hash("001203004567") != a
