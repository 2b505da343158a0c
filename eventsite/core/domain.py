"""The one error a service raises when a rule is broken, and the one way a view shows it.

A service raises `DomainError(message, field)`, or collects every problem with `Problems` and
`raise_if_any()`, each message next to its form field's name (None: the whole thing); the view
calls `show_on_form(form, error)`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import wraps
from typing import Any

from flask import flash

from ..extensions import db
from .gettext import gettext as _


class DomainError(Exception):
    """A rule was broken. `problems` is {field or None: [messages]}, in the order found."""

    def __init__(self, message: Any = None, field: str | None = None, *,
                 problems: Mapping[str | None, list] | None = None):
        self.problems: dict[str | None, list] = (
            {key: list(messages) for key, messages in problems.items()} if problems
            else {field: [message]})
        super().__init__(self.message)

    @property
    def message(self) -> Any:  # the first (the only one, for most rules)
        return next(iter(self.problems.values()))[0]

    @property
    def field(self) -> str | None:
        return next(iter(self.problems))

    def __str__(self) -> str:
        return str(self.message)


class Problems:
    """Collects the problems of several rules, so the user sees all of them in one round."""

    def __init__(self) -> None:
        self.found: dict[str | None, list] = {}

    def add(self, field: str | None, message: Any) -> None:
        self.found.setdefault(field, []).append(message)

    def check(self, rule: Callable[..., Any], *args: Any, rename: str = "") -> Any:
        """`rule(*args)`, keeping its DomainError's problems (field names prefixed by `rename`);
        returns the rule's result, or None when it raised."""
        try:
            return rule(*args)
        except DomainError as error:
            for field, messages in error.problems.items():
                for message in messages:
                    self.add(f"{rename}{field}" if rename and field else field, message)
            return None

    def __contains__(self, field: str | None) -> bool:
        return field in self.found

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self) -> None:
        if self.found:
            raise DomainError(problems=self.found)


def _walk(fields) -> Iterator[Any]:
    for field in fields:
        yield field
        if field.type in ("FormField", "FieldList"):
            yield from _walk(field)


def mark_on_form(form, error: DomainError, fields: Mapping[str, Any] | None = None) -> list:
    """Put each of `error`'s messages next to its field of `form` (or of `fields`, a mapping from
    the names the service uses to fields); returns the messages no field shows. A field that
    already shows the form's own error keeps just that one: the service's rules run after an
    invalid form too (every problem in one round) and would say the same thing again."""
    if fields is None and form is not None:  # every field by its HTML name, sub-forms included
        fields = {field.name: field for field in _walk(form)}
    fields = fields or {}
    shown = {id(field) for field in fields.values() if field.errors}
    left = []
    for name, messages in error.problems.items():
        field = fields.get(name) if name else None
        if field is None or field.type in ("FormField", "FieldList"):
            left.extend(messages)
            continue
        if id(field) in shown:
            continue
        for message in messages:
            if message not in field.errors:
                field.errors = [*field.errors, message]  # a tuple until validated
    return left


def rules_may_run(form) -> bool:
    """After a failed `validate_on_submit()`: whether the service's rules should still be checked
    (a form that was posted with a valid CSRF token), so one round shows every problem."""
    return form.is_submitted() and "csrf_token" not in form.errors


def show_on_form(form, error: DomainError, fields: Mapping[str, Any] | None = None) -> None:
    """The view's one way to show a service's DomainError: the failed use case is rolled back,
    each message goes next to its field (see mark_on_form) and the others are flashed."""
    db.session.rollback()
    left = mark_on_form(form, error, fields)
    for message in left:
        flash(message, "error")
    if len(left) < sum(len(messages) for messages in error.problems.values()):
        flash(_("Please correct the marked fields."), "error")


def atomic(use_case):
    """A use case that breaks a rule leaves nothing behind: its flushed writes are rolled back."""
    @wraps(use_case)
    def run(*args, **kwargs):
        try:
            return use_case(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            raise

    return run
