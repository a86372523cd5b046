"""Draw the project's layout from its code: which Django app imports which, as a Mermaid graph,
and a table of the apps with their purpose.

The edges come from the apps' own import statements (module level and inside functions, tests
and migrations left out), read with ast as /work/shared/tools/app_graph.py reads them; the
shared helpers of the top-level `lib` package count as a node too. An app's purpose is the first
line of its package's docstring, or else of its apps.py's docstring, or else its AppConfig's
verbose_name; the project package (the one with settings.py) is described by its modules.

    python scripts/app_diagram.py                                  prints the Markdown
    python scripts/app_diagram.py --write docs/development/layout.md
        replaces what stands between the app-diagram markers in that file
"""

import argparse
import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
START = "<!-- app-diagram:start -->"
END = "<!-- app-diagram:end -->"
SHARED = "lib"  # the shared helpers: a package, not a Django app


def modules(root, app):
    """The app's Python files, without its tests and migrations."""
    for path in sorted((root / app).rglob("*.py")):
        parts = path.relative_to(root).parts
        if "migrations" in parts or "tests" in parts:
            continue
        yield path


def imported_tops(tree):
    """The top-level package of every absolute import in the tree."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def first_line(text):
    lines = [line.strip() for line in (text or "").strip().splitlines()]
    return lines[0] if lines else ""


def verbose_name(tree):
    """The AppConfig's verbose_name when it is a string literal, translated or not."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "verbose_name" for t in node.targets):
            value = node.value
            if isinstance(value, ast.Call) and value.args:
                value = value.args[0]
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
    return ""


def purpose(root, name):
    """One line saying what the package is for, from its own docstrings."""
    package = root / name
    init = package / "__init__.py"
    if init.exists():
        line = first_line(ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))))
        if line:
            return line
    apps_py = package / "apps.py"
    if apps_py.exists():
        tree = ast.parse(apps_py.read_text(encoding="utf-8"))
        line = first_line(ast.get_docstring(tree)) or verbose_name(tree)
        if line:
            return line
    if (package / "settings.py").exists():
        files = ", ".join(f"`{p.name}`" for p in sorted(package.glob("*.py")) if p.name != "__init__.py")
        return f"the Django project: {files}"
    return ""


def graph(root):
    """(nodes, edges): the apps and lib, and {(importer, imported): number of files}."""
    apps = sorted(p.parent.name for p in root.glob("*/apps.py"))
    nodes = apps + ([SHARED] if (root / SHARED / "__init__.py").exists() else [])
    edges = {}
    for node in nodes:
        for path in modules(root, node):
            tops = set(imported_tops(ast.parse(path.read_text(encoding="utf-8"))))
            for top in tops & set(nodes) - {node}:
                edges[(node, top)] = edges.get((node, top), 0) + 1
    return nodes, edges


def markdown(root):
    nodes, edges = graph(root)
    mutual = sorted({tuple(sorted(pair)) for pair in edges if pair[::-1] in edges})
    lines = [
        "Drawn from the code by `scripts/app_diagram.py` (an arrow: the first imports the second;",
        "regenerate with `python scripts/app_diagram.py --write docs/development/layout.md`).",
        "",
        "```mermaid",
        "graph TD",
    ]
    lines += [f"    {name}[{name}]" for name in nodes]
    lines += [f"    {a} --> {b}" for a, b in sorted(edges)]
    if SHARED in nodes:
        lines.append(f"    style {SHARED} stroke-dasharray: 4 3")
    lines += ["```", ""]
    if mutual:
        lines.append(
            f"Apps that still import each other ({len(mutual)}): "
            + ", ".join(f"{a} ↔ {b}" for a, b in mutual) + "."
        )
    else:
        lines.append("No two apps import each other.")
    lines += ["", "| package | what it is for | imports |", "|---|---|---|"]
    for name in nodes:
        uses = ", ".join(f"`{b}`" for a, b in sorted(edges) if a == name) or "nothing of the others"
        lines.append(f"| `{name}/` | {purpose(root, name) or '(no docstring)'} | {uses} |")
    return "\n".join(lines) + "\n"


def replace_block(text, block):
    """The text with what stands between the markers replaced by the block."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {START} and {END} are missing or out of order")
    return text[: start + len(START)] + "\n" + block + text[end:]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", metavar="FILE", help="replace the block between the markers in FILE")
    parser.add_argument("--root", default=str(ROOT), help="the checkout (default: this one)")
    args = parser.parse_args(argv)
    block = markdown(pathlib.Path(args.root))
    if not args.write:
        sys.stdout.write(block)
        return 0
    target = pathlib.Path(args.write)
    try:
        target.write_text(replace_block(target.read_text(encoding="utf-8"), block), encoding="utf-8")
    except (OSError, ValueError) as error:
        print(f"{target}: {error}", file=sys.stderr)
        return 1
    print(f"wrote the app diagram into {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
