"""Every action code the code base records has a label (eventsite/audit/labels.py): the codes are
collected from the source, from each `record(...)` call's first argument, following it through
the function that passes it on (`_saved(event, "session_add")` → `record(f"event.{action}")`)."""
from __future__ import annotations

import ast
from pathlib import Path

from eventsite.audit.labels import ACTION_LABELS

SOURCE = Path(__file__).resolve().parents[2] / "eventsite"


def _trees() -> list[ast.Module]:
    return [ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SOURCE.rglob("*.py"))]


def _calls(trees, name: str):
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == name:
                yield tree, node


def _enclosing(tree: ast.Module, call: ast.Call) -> ast.FunctionDef:
    """The innermost function around `call`."""
    found = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(child is call for child in ast.walk(node)):
            found = node if found is None or any(n is node for n in ast.walk(found)) else found
    assert found is not None, f"record() outside a function at line {call.lineno}"
    return found


def _argument(call: ast.Call, function: ast.FunctionDef, parameter: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == parameter:
            return keyword.value
    names = [a.arg for a in function.args.args]
    index = names.index(parameter) if parameter in names else None
    return call.args[index] if index is not None and index < len(call.args) else None


def _values(node: ast.expr, trees, tree: ast.Module, function: ast.FunctionDef, seen: frozenset) -> set[str]:
    """Every string `node` can be: constants, both sides of `a if c else b`, f-strings over a
    parameter, and a parameter followed to each call of its function (a private one in its own
    module only)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return (_values(node.body, trees, tree, function, seen)
                | _values(node.orelse, trees, tree, function, seen))
    if isinstance(node, ast.JoinedStr):
        texts = {""}
        for part in node.values:
            inner = part.value if isinstance(part, ast.FormattedValue) else part
            texts = {a + b for a in texts for b in _values(inner, trees, tree, function, seen)}
        return texts
    parameters = [a.arg for a in function.args.args + function.args.kwonlyargs]
    if isinstance(node, ast.Name) and node.id in parameters:
        key = (id(function), node.id)
        assert key not in seen, f"{function.name}() passes {node.id} to itself"
        values: set[str] = set()
        for caller_tree, call in _calls([tree] if function.name.startswith("_") else trees, function.name):
            argument = _argument(call, function, node.id)
            if argument is not None and not (isinstance(argument, ast.Constant) and argument.value is None):
                values |= _values(argument, trees, caller_tree, _enclosing(caller_tree, call), seen | {key})
        assert values, f"cannot tell which codes are passed to {function.name}() as {node.id}"
        return values
    raise AssertionError(f"cannot read the audit code at line {node.lineno}: {ast.dump(node)}")


def recorded_codes() -> set[str]:
    trees = _trees()
    codes: set[str] = set()
    for tree, call in _calls(trees, "record"):
        if call.args:
            codes |= _values(call.args[0], trees, tree, _enclosing(tree, call), frozenset())
    return codes


def test_the_scan_finds_the_codes_however_they_are_passed():
    codes = recorded_codes()
    # Written out, through a helper's parameter, in an f-string, through a keyword, chosen by a condition.
    assert {"auth.login", "member.create", "event.session_add", "event.update", "delegate.remove",
            "delegation.withdraw", "delegation.reject", "member.deactivate"} <= codes
    assert len(codes) >= 55


def test_every_recorded_action_has_a_label():
    missing = sorted(recorded_codes() - set(ACTION_LABELS))
    assert not missing, f"audit actions without a label in eventsite/audit/labels.py: {missing}"


def test_no_label_for_an_action_nobody_records():
    assert not sorted(set(ACTION_LABELS) - recorded_codes())
