"""Our code uses only the public API of Django, Wagtail and the libraries it builds on: an upgrade
can rename anything that starts with an underscore without a word. Django's documented `_meta` and
dunder names aside, no underscore-prefixed attribute, method or import of theirs may appear in
partnership/, iomeu/ or templates/. Names of our own that start with one are allowed: the check
collects them first."""

import ast
import re
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PYTHON_FOLDERS = ("partnership", "iomeu")
LIBRARIES = ("django", "wagtail", "django_otp", "axes", "redis", "django_redis", "modelcluster", "taggit")
ALLOWED = {"_meta"}


def python_files():
    for folder in PYTHON_FOLDERS:
        yield from sorted((BASE_DIR / folder).rglob("*.py"))


def is_private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) and name not in ALLOWED


def our_private_names(trees):
    """Every underscore-prefixed name that our own code defines: functions, classes, attributes it
    assigns on its own objects (self._x = ..., cls._x = ...), module-level names and arguments. Not
    `other._x = ...`: setting a library's private attribute is using it."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                    names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {name for name in names if is_private(name)}


def private_uses(path, tree, ours):
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr) and node.attr not in ours:
            found.append(f"{path}:{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in LIBRARIES:
            for alias in node.names:
                if is_private(alias.name) or any(is_private(part) for part in node.module.split(".")):
                    found.append(f"{path}:{node.lineno}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in LIBRARIES and any(is_private(p) for p in alias.name.split(".")):
                    found.append(f"{path}:{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "setattr"):
            if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                if is_private(node.args[1].value) and node.args[1].value not in ours:
                    found.append(f"{path}:{node.lineno}: {node.func.id}(..., {node.args[1].value!r})")
    return sorted(found, key=lambda use: int(use.split(":")[1]))


def test_no_private_attribute_or_import_of_a_library_in_our_code():
    trees = {path.relative_to(BASE_DIR): ast.parse(path.read_text(encoding="utf-8")) for path in python_files()}
    assert len(trees) > 40  # the check reads the whole code base
    ours = our_private_names(trees.values())
    found = [use for path, tree in trees.items() for use in private_uses(path, tree, ours)]
    assert found == [], "\n".join(found)


def test_the_check_finds_what_it_is_for():
    """Each kind of use it must refuse, in code of the shape our code has."""
    code = """
from django.utils.functional import _lazy_proxy
import wagtail._private
site = request._wagtail_site
request._wagtail_route_for_request = route
pool = self._get_connection_pool(write)
client = getattr(cache, "_cache")
options = model._meta.get_field("title")
self._own = 1
value = self._own
"""
    tree = ast.parse(code)
    found = private_uses("example.py", tree, our_private_names([tree]))
    assert [use.split(": ", 1)[1] for use in found] == [
        "from django.utils.functional import _lazy_proxy",
        "import wagtail._private",
        "._wagtail_site",
        "._wagtail_route_for_request",
        "._get_connection_pool",
        "getattr(..., '_cache')",
    ]


TEMPLATE_PRIVATE = re.compile(r"{[{%][^}]*\._[a-zA-Z]")


def test_no_private_attribute_in_templates():
    templates = sorted((BASE_DIR / "templates").rglob("*.html"))
    assert templates
    found = [
        f"{path.relative_to(BASE_DIR)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if TEMPLATE_PRIVATE.search(line)
    ]
    assert found == []
