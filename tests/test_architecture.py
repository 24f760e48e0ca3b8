"""The shape of the package and of bench/, checked from their source (the AST, nothing is
imported):

- no blueprint package (public, referral, portal, admin) imports another: what two
  share lives in services, in a package-level module, or in components;
- no import cycle among the package's modules and bench's (bench/ imports the package,
  never the other way). Every import counts, at module level or
  inside a function: a lazy import only hides a cycle until the day it runs. An import of
  `package.module` is an edge to that module only; Python also runs the package's
  __init__ first, but that is not counted (every module would otherwise "import" its own
  package's __init__, and the __init__s that gather their route modules would be cycles);
- bench/ imports nothing from tests/: what both need (the journey's answers, the list of
  public pages) lives in the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "againsthate"
ROOT = Path(__file__).resolve().parents[1] / "site" / PACKAGE
# `python bench/run.py` puts bench/ first on sys.path: its modules import each other by
# their bare names (`import servers`).
BENCH = Path(__file__).resolve().parents[1] / "bench"
TESTS = Path(__file__).resolve().parent
BLUEPRINTS = ("public", "referral", "portal", "admin")


def _modules(root: Path = ROOT, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its __init__)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([package, *parts])] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules this module imports, relative imports resolved."""
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            bases = [alias.name for alias in node.names]
            names: list[str] = []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                bases = [".".join(base + ([node.module] if node.module else []))]
            else:
                bases = [node.module or ""]
            names = [alias.name for alias in node.names]
        else:
            continue
        for base in bases:
            # `from x import y`: y is a module when there is one by that name, else a
            # name defined in x.
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in modules]
            if submodules:
                targets.update(submodules)
                if len(submodules) < len(names):
                    targets.add(base)
                continue
            # `import a.b.c` (or a name from it): the deepest module of ours it names.
            parts = base.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            if parts:
                targets.add(".".join(parts))
    targets.discard(name)
    return targets


def _bench_modules(bench: Path = BENCH) -> dict[str, Path]:
    return {path.stem: path for path in sorted(bench.glob("*.py"))}


def _graph(bench: Path = BENCH) -> dict[str, set[str]]:
    modules = {**_modules(), **_bench_modules(bench)}
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _blueprint_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in BLUEPRINTS else None


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle for each back edge a depth-first search meets."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    path: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        colour[node] = GREY
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if colour.get(target, BLACK) == GREY:
                found.append(path[path.index(target) :] + [target])
            elif colour.get(target) == WHITE:
                visit(target)
        path.pop()
        colour[node] = BLACK

    for node in sorted(graph):
        if colour[node] == WHITE:
            visit(node)
    return found


def test_the_walk_sees_the_package() -> None:
    # A check that finds nothing because it read nothing would pass: make sure it reads.
    graph = _graph()
    assert {f"{PACKAGE}.{b}" for b in BLUEPRINTS} <= set(graph)
    assert f"{PACKAGE}.access" in graph[f"{PACKAGE}.portal.blueprint"]
    assert f"{PACKAGE}.answers.steps" in graph[f"{PACKAGE}.referral.views"]
    assert {"mixed", "report", f"{PACKAGE}.examples"} <= graph["run"]  # bench/ too
    assert f"{PACKAGE}.examples" in graph["journeys"]


def test_no_blueprint_imports_another() -> None:
    crossings = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        for target in targets
        if _blueprint_of(module) and _blueprint_of(target) not in (None, _blueprint_of(module))
    )
    assert crossings == []


def test_no_import_cycles() -> None:
    assert [" -> ".join(cycle) for cycle in _cycles(_graph())] == []


def _from_tests(path: Path) -> list[str]:
    """What a bench module takes from tests/: a `tests.` import, an import of a module that
    only tests/ has (found once tests/ is put on sys.path), or sys.path edited at all."""
    ours = set(_bench_modules(path.parent))
    theirs = {p.stem for p in TESTS.glob("*.py")} | {p.name for p in TESTS.iterdir() if p.is_dir()}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        elif isinstance(node, ast.Attribute) and ast.unparse(node) == "sys.path":
            found.append(f"{path.name}:{node.lineno} edits sys.path")
            continue
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top == "tests" or (top in theirs and top not in ours):
                found.append(f"{path.name}:{node.lineno} imports {name}")
    return sorted(set(found))


def test_bench_imports_nothing_from_tests() -> None:
    assert [line for path in _bench_modules().values() for line in _from_tests(path)] == []


def test_the_checks_can_fail(tmp_path: Path) -> None:
    # The same walk over a made-up package with both faults finds both.
    (tmp_path / "portal").mkdir()
    (tmp_path / "admin").mkdir()
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "portal" / "__init__.py").write_text("from . import access\n")
    (tmp_path / "portal" / "access.py").write_text("def f():\n    from . import helpers\n")
    (tmp_path / "portal" / "helpers.py").write_text("from .access import f\n")
    (tmp_path / "admin" / "__init__.py").write_text("from ..portal import access\n")
    modules = _modules(tmp_path, "pkg")
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert graph["pkg.admin"] == {"pkg.portal.access"}
    assert _cycles(graph) == [["pkg.portal.access", "pkg.portal.helpers", "pkg.portal.access"]]


def test_the_bench_checks_can_fail(tmp_path: Path) -> None:
    # bench's modules in a cycle, one of them importing the package and one reaching into
    # tests/ (a module only tests/ has, by way of sys.path): all three are seen.
    (tmp_path / "run.py").write_text("import sys\nimport mixed\nfrom againsthate import clock\n")
    (tmp_path / "mixed.py").write_text(
        "sys.path.insert(0, 'tests')\n\ndef main():\n    import run\n"
    )
    (tmp_path / "load.py").write_text("from pages import public_paths\n")
    graph = _graph(tmp_path)
    assert graph["run"] == {"mixed", f"{PACKAGE}.clock"}
    assert ["mixed", "run", "mixed"] in _cycles(graph)
    assert _from_tests(tmp_path / "mixed.py") == ["mixed.py:1 edits sys.path"]
    assert _from_tests(tmp_path / "load.py") == ["load.py:1 imports pages"]


# Who commits --------------------------------------------------------------------------------
# Services add and flush; the request or the command commits once, through db.commit()
# (Database.commit in db/__init__.py). The one exception: the outbox claims each message
# in a transaction of its own and records each send in another, so two senders never take
# the same message and a crash loses no record of what went (services/outbox.py).
COMMIT_HELPER = (f"{PACKAGE}.db", "Database.commit")
COMMIT_EXCEPTIONS = {
    (f"{PACKAGE}.services.outbox", "_claim"),
    (f"{PACKAGE}.services.outbox", "send_due"),
}


def _commits(path: Path) -> list[tuple[str, int, bool]]:
    """Every `.commit(` call in a module: (the enclosing function's qualified name, line,
    whether it is the helper's `db.commit()`)."""
    found: list[tuple[str, int, bool]] = []

    def walk(node: ast.AST, scope: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = [*scope, child.name]
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr == "commit"
            ):
                helper = isinstance(child.func.value, ast.Name) and child.func.value.id == "db"
                found.append((".".join(scope) or "<module>", child.lineno, helper))
            walk(child, inner)

    walk(ast.parse(path.read_text(encoding="utf-8"), str(path)), [])
    return found


def _stray_commits(modules: dict[str, Path]) -> list[str]:
    """Commits anywhere but through the helper (never in a service) and the outbox's
    documented exception."""
    return sorted(
        f"{module}:{line} in {function}"
        for module, path in modules.items()
        for function, line, helper in _commits(path)
        if (module, function) != COMMIT_HELPER
        and (module, function) not in COMMIT_EXCEPTIONS
        and not (helper and not module.startswith(f"{PACKAGE}.services."))
    )


def test_only_the_helper_commits() -> None:
    modules = _modules()
    # The walk reads: the helper and the outbox's exception are found where they are.
    assert {f for f, _line, _helper in _commits(modules[COMMIT_HELPER[0]])} == {COMMIT_HELPER[1]}
    assert {f for f, _line, _helper in _commits(modules[f"{PACKAGE}.services.outbox"])} == {
        f for _m, f in COMMIT_EXCEPTIONS
    }
    assert _stray_commits(modules) == []


def test_no_service_commits() -> None:
    services = {
        name: path for name, path in _modules().items() if name.startswith(f"{PACKAGE}.services.")
    }
    assert len(services) > 10  # it read the services
    assert _stray_commits(services) == []


def test_the_commit_check_can_fail(tmp_path: Path) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "things.py").write_text(
        "def save(session):\n    session.add(1)\n    session.commit()\n    db.commit()\n"
    )
    (tmp_path / "views.py").write_text(
        "from .extensions import db\n\ndef page():\n    db.session.commit()\n    db.commit()\n"
    )
    assert _stray_commits(_modules(tmp_path, PACKAGE)) == [
        f"{PACKAGE}.services.things:3 in save",
        f"{PACKAGE}.services.things:4 in save",
        f"{PACKAGE}.views:4 in page",
    ]
