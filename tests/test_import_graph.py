"""The shape of the code, from its import graph (grimp reads every import, the ones inside
functions too): no cycle anywhere in cards/ or app/, and the core never imports the app."""

from __future__ import annotations

import grimp
import pytest


@pytest.fixture(scope="module")
def graph():
    # Imports under `if TYPE_CHECKING:` never run: they are not part of the graph.
    return grimp.build_graph("cards", "app", cache_dir=None, exclude_type_checking_imports=True)


def cycles(graph) -> list[list[str]]:
    """Every strongly connected set of two or more modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, edges = work[-1]
            for other in edges:
                if other not in graph.modules:
                    continue
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append(
                        (other, iter(sorted(graph.find_modules_directly_imported_by(other))))
                    )
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle(graph):
    assert "cards.kinds.basic" in graph.modules and "app.tui.faces.choice" in graph.modules
    assert cycles(graph) == []


def test_the_cycle_finder_finds_one():
    g = grimp.ImportGraph()
    for m in ("p", "p.a", "p.b", "p.c"):
        g.add_module(m)
    g.add_import(importer="p.a", imported="p.b")
    g.add_import(importer="p.b", imported="p.c")
    g.add_import(importer="p.c", imported="p.a")
    assert cycles(g) == [["p.a", "p.b", "p.c"]]


def test_core_never_imports_the_app(graph):
    core = {m for m in graph.modules if m.split(".")[0] == "cards"}
    app = {m for m in graph.modules if m.split(".")[0] == "app"}
    leaks = [(c, a) for c in core for a in graph.find_modules_directly_imported_by(c) if a in app]
    assert leaks == []
