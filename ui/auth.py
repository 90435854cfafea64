"""Who may edit: the editors configured in Streamlit secrets, the login form and the session's editor.

Viewing never needs an account. Editing needs an editor configured by the administrator (a
password hash in ``[editeurs]``, or an OIDC address in ``[editeurs_oidc]`` with an ``[auth]``
section for ``st.login``) and a login in the current session. Every write calls
``require_editor()`` right before touching the store, so a widget callback or a crafted message
that reaches a write path without a login writes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import streamlit as st

from domain.accounts import EditorConfig, check_login, hash_fingerprint, read_editor_config
from store.throttle import LoginThrottle, Verdict
from ui.browserkey import COOKIE, is_key, key_hash
from ui.text import md_escape

log = logging.getLogger("carte_erbm")

# No widget uses these keys, so no message from a browser can set them: only a successful
# password check below does. The value carries a fingerprint of the account's hash, so a session
# ends as soon as the administrator changes or removes the account.
_SESSION_KEY = "_erbm_editor_session"
_THROTTLE_KEY = "_erbm_login_throttle"
_OIDC_BROWSER_KEY = "_erbm_oidc_browser"
# The binding of a run with no network client at all (AppTest, a bare script run): no browser
# there, so no one else can resume it either.
NO_CLIENT_BINDING = "sans client réseau"
NO_BROWSER_KEY = (
    "Connexion impossible : ce navigateur n'a pas la clé de session que le serveur donne avec la page "
    "(cookies refusés pour ce site, ou application lancée sans serve.py). Autorisez les cookies de ce site, "
    "puis rechargez la page."
)
MAX_FAILURES = 5
LOCK_SECONDS = 60.0
_logged_problems: set[tuple[str, ...]] = set()


class NotAuthorized(Exception):
    """A write was attempted without an editor logged in."""

    def french_message(self) -> str:
        return "Vous devez être connecté avec un compte d'éditeur pour modifier les données. Rien n'a été enregistré."


@dataclass(frozen=True)
class Editor:
    login: str
    display_name: str
    method: str  # « mot de passe » or « OIDC »


def _secrets() -> Mapping[str, object] | None:
    # st.secrets raises when no secrets file exists or when it cannot be parsed: no editing then.
    try:
        secrets = st.secrets
        secrets.keys()
    except FileNotFoundError:
        return None
    except Exception:
        log.warning("secrets illisibles : modification des données désactivée", exc_info=True)
        return None
    return secrets


def editor_config() -> EditorConfig:
    cfg = read_editor_config(_secrets())
    if cfg.problems and cfg.problems not in _logged_problems:
        _logged_problems.add(cfg.problems)
        for problem in cfg.problems:
            log.warning("configuration des éditeurs : %s", problem)
    return cfg


def oidc_configured() -> bool:
    """st.login is usable: an ``[auth]`` section exists and at least one address may edit."""
    secrets = _secrets()
    if secrets is None:
        return False
    try:
        has_auth = "auth" in secrets
    except Exception:  # noqa: BLE001
        return False
    return has_auth and bool(editor_config().oidc_emails)


def editing_configured() -> bool:
    return bool(editor_config().accounts) or oidc_configured()


def _oidc_claims() -> tuple[str, str, bool] | None:
    """(email, name, email verified) of the identity-provider user, when st.user says they are logged in."""
    user = getattr(st, "user", None)
    if user is None:
        return None
    try:
        if user.get("is_logged_in") is not True:
            return None
        email = user.get("email")
        verified = user.get("email_verified")
        name = user.get("name")
    except Exception:  # noqa: BLE001 - st.user differs between hosts and AppTest
        return None
    if not isinstance(email, str) or not email.strip():
        return None
    return email.strip().lower(), str(name or email), verified is True


def _oidc_identity() -> tuple[str, str] | None:
    """(email, name) of the identity-provider user, only when the provider says the address is verified.

    An address the provider did not mark as verified (``email_verified`` false or absent) proves
    nothing about who is logged in: some providers let anyone type any address.
    """
    claims = _oidc_claims()
    if claims is None or not claims[2]:
        return None
    return claims[0], claims[1]


def browser_binding() -> str | None:
    """What ties a login to the browser of the current connection: the hash of its key cookie
    (``ui.browserkey``), or None when a network client sent no valid key.

    A network client always sends headers (``Host`` at least); a run without any (AppTest, a bare
    script run) has no client that anyone could resume.
    """
    try:
        if not st.context.headers:
            return NO_CLIENT_BINDING
        value = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no context outside a script run: no browser to trust
        return None
    return key_hash(value) if is_key(value) else None


def _oidc_editor(cfg: EditorConfig, binding: str | None) -> Editor | None:
    identity = _oidc_identity()
    if identity is None or identity[0] not in cfg.oidc_emails or binding is None:
        return None
    # The first run that sees the identity binds it to its browser; a client resuming the session
    # from elsewhere then differs.
    bound = st.session_state.setdefault(_OIDC_BROWSER_KEY, binding)
    if bound != binding:
        return None
    return Editor(login=identity[0], display_name=identity[1], method="OIDC")


def current_editor() -> Editor | None:
    """The editor logged in to this session from this browser, or None for a visitor."""
    cfg = editor_config()
    binding = browser_binding()
    stored = st.session_state.get(_SESSION_KEY)
    if isinstance(stored, tuple) and len(stored) == 3:
        login, fingerprint, bound = stored
        encoded = cfg.accounts.get(login) if isinstance(login, str) else None
        if encoded is not None and fingerprint == hash_fingerprint(encoded) and binding is not None:
            if bound == binding:
                return Editor(login=login, display_name=login, method="mot de passe")
            log.warning("session d'éditeur reprise par un autre navigateur : traitée comme un visiteur")
    if cfg.oidc_emails and oidc_configured():
        return _oidc_editor(cfg, binding)
    return None


def require_editor() -> Editor:
    """The logged-in editor, checked again now; raises NotAuthorized for anyone else."""
    editor = current_editor() if editing_configured() else None
    if editor is None:
        log.warning("écriture refusée : aucun éditeur connecté dans cette session")
        raise NotAuthorized()
    return editor


def _session_lock_remaining(now: float) -> float:
    failures, until = st.session_state.get(_THROTTLE_KEY, (0, 0.0))
    return max(0.0, until - now) if failures >= MAX_FAILURES else 0.0


def _record_session_failure(now: float) -> int:
    failures, _ = st.session_state.get(_THROTTLE_KEY, (0, 0.0))
    failures += 1
    st.session_state[_THROTTLE_KEY] = (failures, now + LOCK_SECONDS if failures >= MAX_FAILURES else 0.0)
    return failures


def _logins() -> LoginThrottle:
    from ui.data import store

    return store().logins


def reset_throttle() -> None:
    """Forget every login failure of the configured store (tests)."""
    try:
        _logins().reset()
    except Exception:  # no store: nothing to forget
        log.warning("compteurs de connexion non remis à zéro", exc_info=True)


def _count(step: Callable[..., None], login: str, **options: object) -> None:
    """Record an attempt's outcome; a store failure then is logged, the answer stays the same."""
    try:
        step(login, **options)
    except Exception:
        log.exception("compteurs de connexion non mis à jour")


def _wait_message(verdict: Verdict) -> str:
    seconds = int(verdict.wait_s) + 1
    if verdict.reason == "serveur":
        return f"Trop de tentatives de connexion sur le serveur en ce moment. Réessayez dans {seconds} seconde(s)."
    return f"Trop de tentatives de connexion. Réessayez dans {seconds} seconde(s)."


def attempt_login(login: str, password: str) -> str | None:
    """Check a login; on success remember it in the session. Returns the French error, or None.

    The limits (this session's, the login's backoff and the server's bucket in the store) are
    checked before the password is hashed: a refused attempt costs no hash.
    """
    login = (login or "").strip()
    now = time.monotonic()
    wait = _session_lock_remaining(now)
    if wait > 0:
        return f"Trop de tentatives de connexion. Réessayez dans {int(wait) + 1} secondes."
    binding = browser_binding()
    if binding is None:
        return NO_BROWSER_KEY
    cfg = editor_config()
    try:
        logins = _logins()
        verdict = logins.admit(login, browser=binding, now=time.time())
    except Exception:  # the counters live in the store: no store, no login
        log.exception("compteurs de connexion indisponibles")
        return "Connexion momentanément impossible : la base de données ne répond pas. Réessayez plus tard."
    if not verdict.allowed:
        return _wait_message(verdict)
    if not login or not password or not check_login(cfg.accounts, login, password):
        _count(logins.failed, login, now=time.time())
        failures = _record_session_failure(now)
        if failures >= MAX_FAILURES:
            return (
                "Identifiant ou mot de passe incorrect. Trop de tentatives : "
                f"le formulaire est bloqué pendant {int(LOCK_SECONDS)} secondes."
            )
        return f"Identifiant ou mot de passe incorrect ({MAX_FAILURES - failures} essai(s) avant blocage temporaire)."
    _count(logins.succeeded, login, browser=binding, now=time.time())
    st.session_state.pop(_THROTTLE_KEY, None)
    st.session_state[_SESSION_KEY] = (login, hash_fingerprint(cfg.accounts[login]), binding)
    log.info("connexion de l'éditeur %s", login)
    return None


def logout() -> None:
    editor = current_editor()
    st.session_state.pop(_SESSION_KEY, None)
    st.session_state.pop(_OIDC_BROWSER_KEY, None)
    if editor is not None and editor.method == "OIDC":
        st.logout()


def login_form() -> None:
    """The password form, and the identity-provider button when OIDC is configured."""
    cfg = editor_config()
    if cfg.accounts:
        with st.form("erbm-login", clear_on_submit=True):
            st.markdown("**Connexion des éditeurs**")
            login = st.text_input("Identifiant", key="erbm-login-user", autocomplete="username")
            password = st.text_input(
                "Mot de passe", type="password", key="erbm-login-password", autocomplete="current-password"
            )
            submitted = st.form_submit_button("Se connecter")
        if submitted:
            error = attempt_login(login, password)
            # The typed password is not kept in the session once checked.
            st.session_state.pop("erbm-login-password", None)
            if error:
                st.error(error)
            else:
                st.rerun()
    if oidc_configured():
        claims = _oidc_claims()
        if claims is not None and not claims[2]:
            st.warning(
                f"L'adresse « {md_escape(claims[0], limit=120)} » n'est pas acceptée : le fournisseur d'identité "
                "ne la déclare pas vérifiée. La connexion n'est acceptée que si le fournisseur envoie une adresse "
                "vérifiée (information « email_verified ») ; l'administrateur doit le configurer ainsi."
            )
        elif claims is not None:
            st.warning(f"Le compte « {md_escape(claims[0], limit=120)} » n'est pas autorisé à modifier les données.")
        if st.button("Se connecter avec le fournisseur d'identité", key="erbm-oidc-login"):
            try:
                st.login()
            except Exception:
                log.exception("st.login a échoué")
                st.error(
                    "La connexion par fournisseur d'identité n'est pas disponible sur ce serveur "
                    "(module Authlib absent ou section [auth] incomplète)."
                )


def editor_banner(editor: Editor) -> None:
    """Who is logged in, and the button to log out."""
    cols = st.columns([4, 1])
    cols[0].caption(f"Connecté : {md_escape(editor.display_name, limit=80)} ({editor.method})")
    if cols[1].button("Se déconnecter", key="erbm-logout", width="stretch"):
        logout()
        st.rerun()
