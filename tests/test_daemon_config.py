"""The example configuration: loads, names every setting, and changes no default unknowingly."""

import tomllib
from dataclasses import fields
from pathlib import Path

from monitor.config import Config

EXAMPLE = Path(__file__).parent.parent / "config" / "dossier-monitor.example.toml"
# Settings the example deliberately shows with a value other than the built-in default.
NOT_DEFAULT = {("source", "user_agent")}


def sections():
    return [f for f in fields(Config) if f.name not in ("base_dir", "path")]


def toml_name(f) -> str:
    return f.name.rstrip("_")


def test_the_example_loads_as_a_configuration():
    Config.load(EXAMPLE)


def test_the_example_names_every_setting_of_every_section():
    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    missing = [f"{section.name}.{toml_name(key)}" for section in sections()
               for key in fields(section.default_factory())
               if toml_name(key) not in raw.get(section.name, {})]
    assert missing == [], "add these to config/dossier-monitor.example.toml"


def test_the_example_shows_the_built_in_defaults():
    example, default = Config.load(EXAMPLE), Config()
    differ = [(section.name, key.name) for section in sections() for key in fields(section.default_factory())
              if getattr(getattr(example, section.name), key.name) != getattr(getattr(default, section.name), key.name)]
    assert set(differ) == NOT_DEFAULT
