"""Settings: the layers (defaults ← file ← environment ← flags), how values written as text are
read, and that every bad value is named with where it came from."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from arsip.errors import ConfigError
from config.settings import DEFAULT_IGNORE, Settings, descriptions, load_settings, setting_names


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in setting_names():
        monkeypatch.delenv(f"ARSIP_{name.upper()}", raising=False)
    monkeypatch.delenv("ARSIP_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # no ./arsip.toml
    return monkeypatch


def test_later_layers_win(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "arsip.toml"
    config.write_text('[arsip]\nocr_dpi = 400\nlanguages = "eng"\nmax_pages = 7\n'
                      'file_mode = "0600"\n')
    clean_env.setenv("ARSIP_LANGUAGES", "ind")
    clean_env.setenv("arsip_max_pages", "9")  # names are matched regardless of case
    settings = load_settings(config, home=tmp_path / "h", max_pages=None)
    assert settings.ocr_dpi == 400  # file
    assert settings.languages == "ind"  # environment over file
    assert settings.max_pages == 9  # a flag left unset (None) does not count
    assert settings.file_mode == 0o600  # octal text
    assert settings.home == (tmp_path / "h").resolve()  # flag
    assert settings.index_path == (tmp_path / "h" / "index").resolve()
    assert settings.max_pixels == 180_000_000 and settings.ignore_patterns == DEFAULT_IGNORE
    assert load_settings(config, home=tmp_path, max_pages=3).max_pages == 3  # flag over all


def test_environment_text_is_read_as_the_setting_s_type(clean_env: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    clean_env.setenv("ARSIP_POLLING", "yes")
    clean_env.setenv("ARSIP_AUTO_CLASSIFY", "Off")
    clean_env.setenv("ARSIP_SETTLE_SECONDS", "0.5")
    clean_env.setenv("ARSIP_IGNORE_PATTERNS", '["*.bak", "~*"]')
    clean_env.setenv("ARSIP_METRICS_PORT", "9100")
    clean_env.setenv("ARSIP_INBOX", "incoming")
    settings = load_settings(None, home=tmp_path)
    assert settings.polling is True and settings.auto_classify is False
    assert settings.settle_seconds == 0.5 and settings.metrics_port == 9100
    assert settings.ignore_patterns == ["*.bak", "~*"]
    assert settings.inbox_path == tmp_path.resolve() / "incoming"  # relative: under home


def test_every_bad_value_is_named_with_its_source(clean_env: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    config = tmp_path / "arsip.toml"
    config.write_text('ocr_dpi = 20\ndate_order = "DDMM"\ndir_mode = "rwx"\nsomething = 1\n')
    clean_env.setenv("ARSIP_POLLING", "sometimes")
    clean_env.setenv("ARSIP_LANGUAGES", "+")
    with pytest.raises(ConfigError) as raised:
        load_settings(config, home=tmp_path)
    message = str(raised.value)
    assert f"ocr_dpi = 20, from file ({config}): expected `int` >= 72" in message
    assert "date_order = 'DDMM', from file" in message
    assert "dir_mode = 'rwx', from file" in message and "octal" in message
    assert "polling = 'sometimes', from environment (ARSIP_POLLING): expected `bool`" in message
    assert "languages = '+', from environment (ARSIP_LANGUAGES): at least one" in message
    assert "something" not in message  # a key for another tool is ignored; `config check`
    assert "README.md" in message  # says what to do


def test_copies_and_descriptions() -> None:
    settings = Settings(home=Path("relative-home"))
    assert settings.home.is_absolute() and settings.state_path == settings.home / "state"
    changed = settings.replaced(max_pages=5)
    assert changed.max_pages == 5 and settings.max_pages == 2000
    assert changed.archive_path == settings.archive_path
    assert pickle.loads(pickle.dumps(changed)) == changed  # as sent to the extraction children
    assert set(descriptions()) == set(setting_names()) and all(descriptions().values())
    public = Settings(broker_url="redis://u:secret@h:6379/0").public_dict()
    assert public["broker_url"] == "redis://***@h:6379/0" and public["home"].startswith("/")


def test_values_are_read_as_people_write_them(clean_env: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    config = tmp_path / "arsip.toml"
    config.write_text('ocr_dpi = "+400"\nmax_pixels = "90_000_000"\npolling = "yes"\n'
                      'dir_mode = " 0700 "\nmax_file_mb = ".5"\n')
    clean_env.setenv("ARSIP_METRICS_PORT", "9100\r")
    clean_env.setenv("ARSIP_SETTLE_SECONDS", " 0.5\r\n")  # a .env file saved on Windows
    clean_env.setenv("ARSIP_AUTO_CLASSIFY", "off")
    settings = load_settings(config, home=tmp_path)
    assert (settings.ocr_dpi, settings.max_pixels, settings.dir_mode) == (400, 90_000_000, 0o700)
    assert settings.polling is True and settings.auto_classify is False
    assert settings.settle_seconds == 0.5 and settings.max_file_mb == 0.5
    assert settings.metrics_port == 9100


def test_a_bad_mode_is_named_once_as_written(clean_env: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    config = tmp_path / "arsip.toml"
    config.write_text('dir_mode = "rwx"\nfile_mode = "0o77777"\n')
    with pytest.raises(ConfigError) as raised:
        load_settings(config, home=tmp_path)
    message = str(raised.value)
    assert message.count("dir_mode") == 1 and "dir_mode = 'rwx'" in message
    assert "file_mode = '0o77777'" in message and "<= 4095" in message
