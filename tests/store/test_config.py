"""Finding the dataset root, reading ogpctl.toml, pinning today — and their failures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ogpctl.cli import app
from ogpctl.errors import ConfigError, DatasetNotFound, ExitCode, UsageError
from ogpctl.store import config


def make_root(tmp_path: Path, toml: str | None = None) -> Path:
    (tmp_path / "data" / "members").mkdir(parents=True)
    if toml is not None:
        (tmp_path / "ogpctl.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def test_root_is_the_nearest_parent_with_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OGPCTL_ROOT", raising=False)
    root = make_root(tmp_path)
    assert config.find_root(start=root / "data" / "members") == root.resolve()


def test_root_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_root(tmp_path / "elsewhere")
    monkeypatch.setenv("OGPCTL_ROOT", str(root))
    assert config.find_root(start=tmp_path) == root.resolve()


def test_no_dataset_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OGPCTL_ROOT", raising=False)
    with pytest.raises(DatasetNotFound, match="no dataset here"):
        config.find_root(start=tmp_path)


def test_no_dataset_is_exit_3_with_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OGPCTL_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == ExitCode.CANNOT_RUN
    assert "no dataset here" in result.stderr and "--root" in result.stderr
    assert "Traceback" not in result.output


def test_settings_defaults_and_values(tmp_path: Path) -> None:
    assert config.load_settings(make_root(tmp_path)) == config.Settings()
    toml = '[dataset]\nname = "x"\ndefault_language = "fr"\nupdate_every_months = 3\n'
    settings = config.load_settings(make_root(tmp_path / "b", toml))
    assert (settings.name, settings.default_language, settings.update_every_months) == (
        "x",
        "fr",
        3,
    )


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[dataset\n", "ogpctl.toml: "),
        ("[dataset]\nlanguage = 'fr'\n", "unknown key 'language'"),
        ("[other]\n", "unknown key 'other'"),
        ("[dataset]\ndefault_language = 'french'\n", "not ISO 639-1"),
        ("[dataset]\nupdate_every_months = 0\n", "from 1 to 60"),
        ("[dataset]\nupdate_every_months = true\n", "from 1 to 60"),
        ("[dataset]\nname = 3\n", "name must be text"),
        ("[dataset]\nattribution = ['a']\n", "attribution must be text"),
        ("[dataset]\nlicense = 'MIT licence'\n", "license must be an SPDX id"),
    ],
)
def test_bad_settings_are_exit_3_naming_the_file(tmp_path: Path, toml: str, message: str) -> None:
    root = make_root(tmp_path, toml)
    with pytest.raises(ConfigError, match=message):
        config.load_settings(root)
    result = CliRunner().invoke(app, ["--root", str(root), "validate"])
    assert result.exit_code == ExitCode.CANNOT_RUN
    assert "ogpctl.toml" in result.stderr and message.strip() in result.stderr


def test_today_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGPCTL_TODAY", "2017-06-30")
    assert config.today() == date(2017, 6, 30)
    for other_spelling in ("30/06/2017", "20170630", "2017-W26-5", "2017-6-30"):
        monkeypatch.setenv("OGPCTL_TODAY", other_spelling)
        with pytest.raises(UsageError, match="YYYY-MM-DD"):
            config.today()


def test_bad_pinned_today_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGPCTL_TODAY", "tomorrow")
    result = CliRunner().invoke(app, ["--root", str(make_root(tmp_path)), "validate"])
    assert result.exit_code == ExitCode.USAGE
    assert "OGPCTL_TODAY='tomorrow' is not a date" in result.stderr


def test_interrupt_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("ogpctl.check.validate.check_dataset", interrupted)
    result = CliRunner().invoke(app, ["--root", str(make_root(tmp_path)), "validate"])
    assert result.exit_code == ExitCode.INTERRUPTED
