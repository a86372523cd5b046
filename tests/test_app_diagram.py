"""The layout diagram in docs/development/layout.md is the one the code draws today, and the
script that draws it finds real edges and replaces only its own block."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = ROOT / "docs" / "development" / "layout.md"


def load_script():
    spec = importlib.util.spec_from_file_location("app_diagram", ROOT / "scripts" / "app_diagram.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_layout_shows_the_code_as_it_is():
    script = load_script()
    text = LAYOUT.read_text(encoding="utf-8")
    block = text[text.index(script.START) + len(script.START) : text.index(script.END)]
    assert block.strip() == script.markdown(ROOT).strip(), (
        "docs/development/layout.md is out of date: "
        "run python scripts/app_diagram.py --write docs/development/layout.md"
    )


def make_project(tmp_path):
    for app in ("alpha", "beta"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text(f'"""The {app} app.\n\nMore."""\n')
        (tmp_path / app / "apps.py").write_text("")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text('"""Shared helpers."""\n')
    (tmp_path / "alpha" / "views.py").write_text("from beta.models import Thing\nimport lib.dates\n")
    (tmp_path / "beta" / "models.py").write_text("def later():\n    from lib import dates\n")
    (tmp_path / "beta" / "tests").mkdir()
    (tmp_path / "beta" / "tests" / "test_x.py").write_text("import alpha\n")
    (tmp_path / "beta" / "migrations").mkdir()
    (tmp_path / "beta" / "migrations" / "0001.py").write_text("import alpha\n")


def test_edges_purposes_and_lib(tmp_path):
    make_project(tmp_path)
    out = load_script().markdown(tmp_path)
    assert "    alpha --> beta" in out
    assert "    alpha --> lib" in out
    assert "    beta --> lib" in out  # an import inside a function counts
    assert "beta --> alpha" not in out  # tests and migrations do not
    assert "No two apps import each other." in out
    assert "| `alpha/` | The alpha app. | `beta`, `lib` |" in out
    assert "| `lib/` | Shared helpers. | nothing of the others |" in out


def test_mutual_imports_are_named(tmp_path):
    make_project(tmp_path)
    (tmp_path / "beta" / "views.py").write_text("import alpha.views\n")
    assert "Apps that still import each other (1): alpha ↔ beta." in load_script().markdown(tmp_path)


def test_write_replaces_only_the_block(tmp_path):
    make_project(tmp_path)
    script = load_script()
    target = tmp_path / "layout.md"
    target.write_text(f"before\n{script.START}\nold\n{script.END}\nafter\n")
    assert script.main(["--root", str(tmp_path), "--write", str(target)]) == 0
    text = target.read_text()
    assert text.startswith(f"before\n{script.START}\n") and text.endswith(f"{script.END}\nafter\n")
    assert "old" not in text and "alpha --> beta" in text


def test_write_refuses_a_file_without_markers(tmp_path, capsys):
    make_project(tmp_path)
    target = tmp_path / "layout.md"
    target.write_text("no markers\n")
    assert load_script().main(["--root", str(tmp_path), "--write", str(target)]) == 1
    assert target.read_text() == "no markers\n"
    assert "markers" in capsys.readouterr().err
