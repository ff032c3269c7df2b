"""The shape of the code (CONVENTIONS.md): apps depend one way and no module
imports another in a loop. Read from the source (every import statement,
also those inside functions), so a new arrow back fails here."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["newsportal", "articles", "partners", "subscriptions", "demo"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Each project module (migrations left out) and the project modules it
    imports, wherever in the file the import is."""
    files = {
        _module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }
    graph = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets.add(base)
                targets.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {t for t in targets if t in files and t != name}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_module_imports_another_in_a_loop():
    assert import_cycles(import_graph()) == []


def test_the_checker_finds_a_loop():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_articles_imports_neither_partners_nor_subscriptions():
    graph = import_graph()
    wrong = {
        (module, target)
        for module, targets in graph.items()
        if module.split(".")[0] == "articles"
        for target in targets
        if target.split(".")[0] in ("partners", "subscriptions", "demo")
    }
    assert wrong == set()


def test_partners_and_subscriptions_do_not_import_each_other():
    graph = import_graph()
    apps = {"partners": "subscriptions", "subscriptions": "partners"}
    wrong = {
        (module, target)
        for module, targets in graph.items()
        if module.split(".")[0] in apps
        for target in targets
        if target.split(".")[0] == apps[module.split(".")[0]]
    }
    assert wrong == set()
