"""Runtime settings, read from the environment (prefix ``ERBM_``) or a ``.env`` file."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERBM_", env_file=".env", extra="ignore")

    data_dir: Path = ROOT / "data"


def get_settings() -> Settings:
    return Settings()
