"""The README's quick start is what CI runs: the two stay one command."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_commands():
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands():
    demo, tests = _quick_start_commands()
    assert demo.endswith("python -m kw2v demo")
    assert tests.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    _, tests = _quick_start_commands()
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert tests in ci_lines


def test_learning_path_lists_every_course_notebook():
    text = (ROOT / "README.md").read_text()
    table = text.split("## Learning path", 1)[1].split("\n## ", 1)[0]
    linked = set(re.findall(r"\]\((notebooks/\d\d_\w+\.ipynb)\)", table))
    on_disk = {f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert linked == on_disk


def test_every_picture_shown_exists():
    shown = set(re.findall(r"\]\((images/[\w.-]+\.png)\)", (ROOT / "README.md").read_text()))
    for notebook in (ROOT / "notebooks").glob("**/[0-9][0-9]_*.ipynb"):
        # ../images/x.png, or the repository's raw URL of it (Colab fetches only the notebook)
        shown |= set(re.findall(r"/(images/[\w.-]+\.png)", notebook.read_text()))
    assert len(shown) >= 4, shown  # the course promises its diagrams and the t-SNE map
    assert [p for p in sorted(shown) if not (ROOT / p).is_file()] == []


def test_ci_builds_the_website_with_the_readme_command():
    text = (ROOT / "README.md").read_text()
    section = text.split("## The course as a website", 1)[1].split("\n## ", 1)[0]
    [command] = re.findall(r"```bash\n(.+?)\n```", section)
    assert " -W " in command  # warnings are errors
    assert command in (ROOT / ".ci" / "run").read_text().splitlines()
