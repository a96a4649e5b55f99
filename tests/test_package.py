"""The package surface: lazy exports resolve to what they name, and TensorFlow starts quietly."""

from conftest import run_python

import kw2v


def test_every_export_resolves_to_the_name_it_promises():
    for name in kw2v.__all__:
        value = getattr(kw2v, name)
        assert getattr(value, "__name__", name) == name, f"kw2v.{name} is {value!r}"


def test_train_stays_the_function_whatever_is_imported_first():
    # Importing a submodule binds it as an attribute of the package; a module named like a
    # function it exports (kw2v/train.py holding train) made kw2v.train the module.
    done = run_python(
        "-c",
        "import kw2v, kw2v.training, kw2v.cli\n"
        "kw2v.NeighborsCallback\n"
        "assert callable(kw2v.train) and kw2v.train.__name__ == 'train', kw2v.train\n",
    )
    assert done.returncode == 0, done.stderr


def test_import_tensorflow_keeps_start_up_lines_off_stderr():
    done = run_python(
        "-c",
        "import kw2v\n"
        "tf = kw2v.import_tensorflow()\n"
        "assert tf is kw2v.import_tensorflow() and hasattr(tf, 'constant')\n"
        "print(tf.__version__)\n",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() and done.stderr == ""


def _imports_of(path):
    """The kw2v modules ``path`` imports, at any depth (``if TYPE_CHECKING:`` blocks aside)."""
    import ast

    tree = ast.parse(path.read_text())
    skipped = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for stmt in node.body
        for n in ast.walk(stmt)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kw2v."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.ImportFrom) and node.module == "kw2v":
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("kw2v.")}
    return found


def test_no_module_of_kw2v_imports_itself_back():
    """The import graph of kw2v/ has no cycle (a function-level import counts too)."""
    from pathlib import Path

    package = Path(kw2v.__file__).parent
    modules = {p.stem: p for p in package.glob("*.py") if p.stem != "__init__"}
    graph = {m: _imports_of(p) & set(modules) - {m} for m, p in modules.items()}
    assert "variants" not in graph and "training" in graph and "methods" in graph
    done, path = set(), []

    def visit(module):
        assert module not in path, "import cycle: " + " -> ".join([*path, module])
        if module in done:
            return
        path.append(module)
        for other in sorted(graph[module]):
            visit(other)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


def test_one_training_loop_in_short_functions():
    """train() is the one caller of fit, and no function of kw2v/training.py runs over ~60 lines."""
    import ast
    from pathlib import Path

    package = Path(kw2v.__file__).parent
    callers = [p.stem for p in package.glob("*.py") if ".fit(" in p.read_text()]
    assert callers == ["training"]
    tree = ast.parse((package / "training.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            body = node.body[1:] if ast.get_docstring(node) else node.body  # code, not docstring
            assert body[-1].end_lineno - body[0].lineno < 60, node.name
