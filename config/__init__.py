"""Configuration: one typed, validated `Settings` object and the shipped rule files."""

from config.settings import Settings, load_settings

__all__ = ["Settings", "load_settings"]
