"""Shared by the checker's tests (tests/test_checker*.py): running a check on a wrong answer."""


def failed_with(check, answer, capsys) -> str:
    """Run ``check`` on a wrong answer; assert it failed; return what it printed."""
    result = check(answer)
    out = capsys.readouterr().out
    assert not result and result.status == "failed", out
    assert "✗" in out
    return out
