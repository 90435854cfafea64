"""Runtime settings, read from the environment (prefix ``ERBM_``) or a ``.env`` file."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERBM_", env_file=".env", extra="ignore")

    data_dir: Path = ROOT / "data"
    # Where the planners' updates and their history live. Empty: an SQLite file in ``state_dir``,
    # created on first start. ``postgresql+psycopg://user:pass@host/db`` for several instances.
    database_url: str = ""
    state_dir: Path = ROOT / "var"

    def store_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.state_dir / 'erbm.sqlite').as_posix()}"


def get_settings() -> Settings:
    return Settings()
