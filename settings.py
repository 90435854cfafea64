"""Runtime settings, read from the environment (prefix ``ERBM_``) or a ``.env`` file."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERBM_", env_file=".env", extra="ignore")

    # Every path the app reads or writes is decided here, and only here.
    data_dir: Path = ROOT / "data"
    # Leaflet and the other vendored files, and the content-hashed bundles the map fetches.
    static_dir: Path = ROOT / "static"
    # Where the planners' updates and their history live. Empty: an SQLite file in ``state_dir``,
    # created on first start. ``postgresql+psycopg://user:pass@host/db`` for several instances.
    database_url: str = ""
    state_dir: Path = ROOT / "var"
    # Who may show the app in a frame (Content-Security-Policy frame-ancestors, ui/headers.py):
    # "'self'" by default; e.g. "'self' https://www.exemple.fr" to embed the map on that site.
    frame_ancestors: str = "'self'"

    @property
    def sources_dir(self) -> Path:
        """The third-party files and reviewed tables the build reads (``data/sources``)."""
        return self.data_dir / "sources"

    @property
    def scenario_file(self) -> Path:
        """The presentation's scenes (``data/scenarios/erbm.toml``)."""
        return self.data_dir / "scenarios" / "erbm.toml"

    def store_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.state_dir / 'erbm.sqlite').as_posix()}"


def get_settings() -> Settings:
    return Settings()
