"""docs/cli.md is the real `--help` of every command, so the documentation cannot drift."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_generator():
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_command_is_documented_with_its_current_help():
    generator = load_generator()
    documented = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, _ in generator.commands(generator.cli):
        assert f"## `dossier-monitor {' '.join(path)}`" in documented, f"{' '.join(path)} is not in docs/cli.md"
    assert documented == generator.reference(), "docs/cli.md is stale: run scripts/cli_reference.py > docs/cli.md"


def test_the_contract_commands_all_exist():
    generator = load_generator()
    paths = {" ".join(path) for path, _ in generator.commands(generator.cli)}
    for name in ["diff", "poll", "backfill", "run", "status", "snapshots list", "snapshots show",
                 "snapshots export", "subscribers add", "subscribers list", "subscribers remove",
                 "alerts list", "alerts send", "alerts preview", "site"]:
        assert name in paths
