"""Editor password hashes and the accounts read from secrets (domain/accounts.py, no Streamlit)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from domain.accounts import (
    ITERATIONS,
    MIN_ITERATIONS,
    check_login,
    editor_accounts,
    hash_password,
    is_password_hash,
    oidc_editors,
    read_editor_config,
    verify_password,
)

PASSWORD = "Cité des Alouettes 2019 !"


@pytest.fixture(scope="module")
def encoded() -> str:
    return hash_password(PASSWORD)


def test_hash_format_and_parameters(encoded) -> None:
    algorithm, iterations, salt, digest = encoded.split("$")
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) == ITERATIONS >= 600_000
    assert len(base64.b64decode(salt)) == 16
    # The digest is plain PBKDF2-HMAC-SHA256 of the password with that salt: any tool can check it.
    expected = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), base64.b64decode(salt), int(iterations))
    assert base64.b64decode(digest) == expected


def test_salt_is_random(encoded) -> None:
    other = hash_password(PASSWORD)
    assert other != encoded
    assert other.split("$")[2] != encoded.split("$")[2]
    assert verify_password(PASSWORD, other)


def test_verify_accepts_the_password_and_nothing_else(encoded) -> None:
    assert verify_password(PASSWORD, encoded)
    assert not verify_password("cité des alouettes 2019 !", encoded)
    assert not verify_password(PASSWORD + " ", encoded)
    assert not verify_password("", encoded)
    assert not verify_password(None, encoded)


def test_a_known_reference_hash_verifies() -> None:
    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", b"motdepasse", salt, 600_000)
    reference = f"pbkdf2_sha256$600000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert verify_password("motdepasse", reference)
    assert not verify_password("motdepass", reference)


@pytest.mark.parametrize(
    "malformed",
    [
        None,
        "",
        "motdepasse",
        12345,
        "pbkdf2_sha256$600000$",
        "pbkdf2_sha256$600000$abc$def",
        "pbkdf2_sha256$notanumber$MDEyMzQ1Njc4OWFiY2RlZg==$AAAA",
        "pbkdf2_sha1$600000$MDEyMzQ1Njc4OWFiY2RlZg==$" + base64.b64encode(bytes(32)).decode(),
        "pbkdf2_sha256$600000$***$" + base64.b64encode(bytes(32)).decode(),
        "pbkdf2_sha256$600000$MDEyMzQ1Njc4OWFiY2RlZg==$" + base64.b64encode(bytes(16)).decode(),  # digest too short
        "pbkdf2_sha256$600000$MDEy$" + base64.b64encode(bytes(32)).decode(),  # salt too short
        "pbkdf2_sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==$" + base64.b64encode(bytes(32)).decode(),  # too weak
        "pbkdf2_sha256$99999999999$MDEyMzQ1Njc4OWFiY2RlZg==$" + base64.b64encode(bytes(32)).decode(),
        "pbkdf2_sha256$６00000$MDEyMzQ1Njc4OWFiY2RlZg==$" + base64.b64encode(bytes(32)).decode(),  # full-width digit
        "pbkdf2_sha256$600000$MDEyMzQ1Njc4OWFiY2RlZg==$" + base64.b64encode(bytes(32)).decode() + "$extra",
    ],
)
def test_malformed_hashes_are_false_never_an_exception(malformed) -> None:
    assert not is_password_hash(malformed)
    assert verify_password("motdepasse", malformed) is False


def test_weak_hash_from_the_same_algorithm_is_refused() -> None:
    salt = b"0123456789abcdef"
    weak = hashlib.pbkdf2_hmac("sha256", b"motdepasse", salt, 1000)
    encoded = f"pbkdf2_sha256$1000${base64.b64encode(salt).decode()}${base64.b64encode(weak).decode()}"
    assert MIN_ITERATIONS > 1000
    assert not verify_password("motdepasse", encoded)


def test_hash_refuses_an_empty_password() -> None:
    with pytest.raises(ValueError):
        hash_password("")


def test_accounts_keep_valid_hashes_only(encoded) -> None:
    secrets = {
        "editeurs": {"marie": encoded, "paul": "motdepasse-en-clair", "zoe": 42},
        "autre": {"x": 1},
    }
    assert editor_accounts(secrets) == {"marie": encoded}
    cfg = read_editor_config(secrets)
    assert len(cfg.problems) == 2
    assert any("« paul » ignoré" in p and "en clair" in p for p in cfg.problems)
    # The refused value may be a password: it never appears in a message.
    assert not any("motdepasse-en-clair" in p for p in cfg.problems)


def test_a_plain_text_password_in_secrets_never_logs_in() -> None:
    accounts = editor_accounts({"editeurs": {"paul": "motdepasse"}})
    assert accounts == {}
    assert not check_login(accounts, "paul", "motdepasse")
    # Even if the plain value reached the check directly, it is not a hash and cannot match.
    assert not check_login({"paul": "motdepasse"}, "paul", "motdepasse")


def test_check_login(encoded) -> None:
    accounts = {"marie": encoded}
    assert check_login(accounts, "marie", PASSWORD)
    assert not check_login(accounts, "marie", "faux")
    assert not check_login(accounts, "inconnu", PASSWORD)
    assert not check_login(accounts, "", "")


def test_no_secrets_means_no_editor() -> None:
    assert editor_accounts(None) == {}
    assert editor_accounts({}) == {}
    assert oidc_editors(None) == frozenset()
    assert read_editor_config({"editeurs": "marie"}).problems  # a string, not a table


def test_oidc_editors_are_lower_cased_addresses() -> None:
    secrets = {"editeurs_oidc": {"emails": ["Marie.Dupont@Exemple.FR ", "pas-une-adresse", 3]}}
    assert oidc_editors(secrets) == frozenset({"marie.dupont@exemple.fr"})
    assert len(read_editor_config(secrets).problems) == 2
    assert oidc_editors({"editeurs_oidc": {"emails": "marie@exemple.fr"}}) == frozenset()
