"""The apps are floors: no two import each other, nor any round a circle; lib/ imports none, and
the infrastructure (jobs, audit, notifications) imports none.

Imports are read from the code with `ast`, at module level and inside functions alike, as
Python would run them; tests and migrations are left out (a migration names other apps' models
by label, and tests may use anything)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(config.parent.name for config in ROOT.glob("*/apps.py"))



def imported_apps(package, root=ROOT, apps=APPS):
    """{app it imports: the files that import it}, over every .py file of the package."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in apps and top != package:
                    found.setdefault(top, set()).add(str(path.relative_to(root)))
    return found


def mutual_pairs(root=ROOT, apps=APPS):
    """{(app, app): the files that make the pair} for every two apps that import each other."""
    edges = {app: imported_apps(app, root, apps) for app in apps}
    return {
        tuple(sorted((app, other))): sorted(edges[app][other] | edges[other][app])
        for app in apps for other in edges[app] if app in edges[other]
    }


def test_the_reader_finds_the_apps_and_their_imports():
    """The checks below are only as good as the reader: it sees the apps and what they import."""
    assert {"accounts", "assessments", "audit", "jobs", "measures", "reports"} <= set(APPS)
    assert "lib" not in APPS
    assert "assessments" in imported_apps("measures")
    assert "jobs" in imported_apps("reports")


def test_no_two_apps_import_each_other():
    assert mutual_pairs() == {}


def cycles(apps=APPS, root=ROOT):
    """The groups of apps that reach each other through imports (Tarjan's strongly connected
    components of more than one app): a floor plan has none."""
    edges = {app: set(imported_apps(app, root, apps)) for app in apps}
    index, low, stack, found = {}, {}, [], []

    def visit(app):
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in edges[app]:
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while not group or group[-1] != app:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for app in apps:
        if app not in index:
            visit(app)
    return found


def test_no_apps_import_each_other_round_a_circle():
    """Not two apps, nor three: accounts -> audit -> assessments -> accounts would be a circle no
    pair test sees."""
    assert cycles() == []


def test_the_circle_finder_sees_a_circle_of_three(tmp_path):
    for app, other in (("alpha", "beta"), ("beta", "gamma"), ("gamma", "alpha")):
        (tmp_path / app).mkdir()
        (tmp_path / app / "apps.py").write_text("")
        (tmp_path / app / "views.py").write_text(f"import {other}\n")
    assert cycles(["alpha", "beta", "gamma"], tmp_path) == [["alpha", "beta", "gamma"]]


def test_an_import_inside_a_function_counts_and_tests_and_migrations_do_not(tmp_path):
    """A cycle hidden in a function body is a cycle: the reader must see it."""
    for app, other in (("alpha", "beta"), ("beta", "alpha")):
        for folder in ("", "migrations", "tests"):
            (tmp_path / app / folder).mkdir(exist_ok=True)
        (tmp_path / app / "apps.py").write_text("")
        (tmp_path / app / "migrations" / "0001_initial.py").write_text("import gamma.models\n")
        (tmp_path / app / "tests" / "test_x.py").write_text("import gamma.models\n")
    (tmp_path / "alpha" / "views.py").write_text("def view():\n    from beta.models import Thing\n")
    (tmp_path / "beta" / "models.py").write_text("import alpha.views\n")
    (tmp_path / "gamma").mkdir()
    (tmp_path / "gamma" / "models.py").write_text("import alpha\n")
    apps = ["alpha", "beta", "gamma"]
    assert mutual_pairs(tmp_path, apps) == {("alpha", "beta"): ["alpha/views.py", "beta/models.py"]}


def test_lib_imports_no_app():
    assert imported_apps("lib") == {}
    assert not (ROOT / "lib" / "apps.py").exists() and not (ROOT / "lib" / "models.py").exists()


@pytest.mark.parametrize("infrastructure", ["jobs", "audit", "notifications"])
def test_infrastructure_imports_no_app(infrastructure):
    """Apps register with the infrastructure (their work with jobs/registry.py, what is recorded
    with audit/registry.py, their kinds of notice with notifications/kinds.py); it never imports them."""
    assert imported_apps(infrastructure) == {}
