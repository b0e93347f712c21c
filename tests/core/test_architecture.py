"""The layout the code keeps, read from the source with `ast`: no import cycle among
foundry's modules, no import hidden inside a function, no import running back up the
layers, and a test folder for every domain named after it.

The layers, lowest first (a module imports its own layer and those below it):

  base      extensions, db, i18n, errors, crypto, taxonomy, urls, messages, and pure
            helpers a model may use (an e-mail address's canonical form, Chinese folding)
  models    every */models.py, the registry foundry/models.py, the search index's DDL
  policy    foundry/policy.py: who may do what
  services  the rest of a domain: services, queries, labels, e-mails, exports
  forms     every *forms.py
  web       what the pages share: foundry/web.py, the security headers
  routes    every *routes.py: one blueprint each
  app       the factory (foundry/__init__.py), the command line (*cli.py), the demo
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

import foundry
from foundry import BLUEPRINTS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "foundry"
TESTS = ROOT / "tests"

# Packages left out of the checks while they are rewritten (none now).
NOT_CHECKED_YET: tuple[str, ...] = ()

LAYERS = ("base", "models", "policy", "services", "forms", "web", "routes", "app")

BASE = {
    "foundry.crypto",
    "foundry.db",
    "foundry.errors",
    "foundry.extensions",
    "foundry.i18n",
    "foundry.messages",
    "foundry.taxonomy",
    "foundry.urls",
    "foundry.unit_of_work",
    "foundry.clock",
    # What an uploaded file is, read from its bytes (PDF, Word, Excel): no models, no app.
    "foundry.documents",
    # Pure helpers the models use: an address's canonical form, folding Chinese for search.
    "foundry.accounts.email_address",
    "foundry.postings.cjk_fold",
}
WEB = {"foundry.web", "foundry.security"}
# The search index is part of the schema (its DDL and the text it indexes).
# A domain's second models module (check-in records beside the programmes' models).
MODELS = {
    "foundry.models",
    "foundry.postings.search_index",
    "foundry.programmes.checkin_models",
    "foundry.programmes.feedback_models",
    "foundry.collaborations.attachment_models",
    # A collaboration's links to the postings and programmes it produced.
    "foundry.collaborations.link_models",
}
# Predicates over a domain's records that the policy's table names (they read models only).
# Who attended a programme (read by the policy's rules for feedback and certificates).
MODELS |= {"foundry.programmes.rules", "foundry.programmes.attended"}

# Imports that run up the layers today, each with the reason it is still here. An entry
# that no longer matches an import fails test_known_upward_imports_still_exist: delete it.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}

# Imports inside a function, each with the reason it cannot be at the top of its module.
KNOWN_FUNCTION_LEVEL: dict[tuple[str, str], str] = {}

# Folders under tests/ that are not a domain of foundry/, with what they hold.
NOT_A_DOMAIN = {
    "browser": "end-to-end journeys across the domains, in headless Chromium",
    "oidc_provider": "the local OpenID provider (node) the SSO tests sign in through",
}
# Folders inside a domain's tests that are named after no module of the domain.
NOT_A_MODULE = {
    "sso/e2e": "single sign-on end to end, against tests/oidc_provider",
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the foundry module imported
    line: int
    where: str  # "module", "type_checking" (an `if TYPE_CHECKING:` block) or "function"

    @property
    def at_load(self) -> bool:
        """Part of the module's dependencies: a type-only import counts as much as any."""
        return self.where != "function"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def checked(name: str) -> bool:
    return not any(name == skip or name.startswith(skip + ".") for skip in NOT_CHECKED_YET)


def resolve(name: str) -> str | None:
    """The foundry module `name` lives in (`foundry.postings.models.Posting` -> its module)."""
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def targets(node: ast.Import | ast.ImportFrom, source: str) -> list[str]:
    """The foundry modules an import statement in `source` reaches."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:  # from . import x, from ..y import z
            is_package = modules()[source].name == "__init__.py"
            package = source if is_package else source.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}".rstrip(".")
        names = [f"{base}.{alias.name}" for alias in node.names]
    found = []
    for name in names:
        if name == "foundry" or name.startswith("foundry."):
            module = resolve(name)
            if module and module != source:
                found.append(module)
    return found


def type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def top_level_statements(tree: ast.Module):
    """The module's own statements, into `if`/`try` blocks but not `if TYPE_CHECKING:`."""
    pending = list(tree.body)
    while pending:
        node = pending.pop(0)
        if type_checking_only(node):
            continue
        yield node
        if isinstance(node, ast.If | ast.Try):
            for block in ("body", "orelse", "finalbody", "handlers"):
                pending.extend(getattr(node, block, []))
        elif isinstance(node, ast.ExceptHandler):
            pending.extend(node.body)


@cache
def imports() -> tuple[Import, ...]:
    found = []
    for source, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node) for node in top_level_statements(tree)}
        typing_only = {
            id(node)
            for statement in tree.body
            if type_checking_only(statement)
            for node in ast.walk(statement)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            where = "module" if id(node) in top else "function"
            where = "type_checking" if id(node) in typing_only else where
            for target in targets(node, source):
                found.append(Import(source, target, node.lineno, where))
    return tuple(found)


def layer_of(name: str) -> str:
    last = name.rpartition(".")[2]
    if name == "foundry" or last == "cli" or name.startswith("foundry.demo"):
        return "app"
    if last.endswith("routes"):
        return "routes"
    if last.endswith("forms"):
        return "forms"
    if name in WEB:
        return "web"
    if name == "foundry.policy":
        return "policy"
    if last == "models" or name in MODELS:
        return "models"
    if name in BASE or modules()[name].name == "__init__.py":
        return "base"  # a domain package's __init__ only says what the domain is
    # A module directly in foundry/ belongs to no domain: it is placed above, on purpose.
    assert name.count(".") > 1, f"{name}: give it a layer above"
    return "services"


def upward_imports() -> set[tuple[str, str]]:
    return {
        (i.source, i.target)
        for i in imports()
        if i.at_load
        and checked(i.source)
        and LAYERS.index(layer_of(i.target)) > LAYERS.index(layer_of(i.source))
    }


def cycles() -> list[list[str]]:
    """The strongly connected groups of modules (Tarjan), type-only imports included: a
    cycle hidden behind `if TYPE_CHECKING:` is still two modules that need each other."""
    graph: dict[str, set[str]] = {name: set() for name in modules() if checked(name)}
    for i in imports():
        if i.at_load and i.source in graph and i.target in graph:
            graph[i.source].add(i.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
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


# --- the code ---------------------------------------------------------------------------


def test_no_import_cycle_among_foundry_modules():
    assert cycles() == []


def test_no_foundry_import_hides_inside_a_function():
    hidden = {
        (i.source, i.target): i.line
        for i in imports()
        if i.where == "function"
        and checked(i.source)
        and (i.source, i.target) not in KNOWN_FUNCTION_LEVEL
    }
    assert hidden == {}, "import at the top of the module (a cycle to break is a layout bug)"


def test_no_import_runs_back_up_the_layers():
    unexpected = {
        f"{source} ({layer_of(source)}) imports {target} ({layer_of(target)})"
        for source, target in upward_imports() - KNOWN_UPWARD.keys()
    }
    assert unexpected == set()


def test_known_upward_imports_still_exist():
    assert set(KNOWN_UPWARD) - upward_imports() == set(), "fixed: delete it from KNOWN_UPWARD"


def test_every_module_has_a_layer():
    for name in modules():
        assert layer_of(name) in LAYERS


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("foundry", "app"),
        ("foundry.cli", "app"),
        ("foundry.sso.cli", "app"),
        ("foundry.postings.desk_routes", "routes"),
        ("foundry.web", "web"),
        ("foundry.web_forms", "forms"),
        ("foundry.postings.services", "services"),
        ("foundry.reports.summaries.queries", "services"),
        ("foundry.policy", "policy"),
        ("foundry.reports.summaries.models", "models"),
        ("foundry.extensions", "base"),
    ],
)
def test_modules_sit_in_their_layer(module, layer):
    assert layer_of(module) == layer


def test_the_checks_see_a_cycle_an_upward_and_a_hidden_import(tmp_path, monkeypatch):
    """The checks above would find the habits they forbid (they are not vacuous)."""
    fake = tmp_path / "foundry"
    (fake / "things").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "extensions.py").write_text("")
    (fake / "things" / "__init__.py").write_text("")
    (fake / "things" / "models.py").write_text("from foundry.things import services\n")
    (fake / "things" / "services.py").write_text(
        "from foundry.things.models import Thing\n\n"
        "def make():\n    from foundry.things import routes\n"
    )
    (fake / "things" / "routes.py").write_text("from foundry.things import services\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    modules.cache_clear()
    imports.cache_clear()
    try:
        assert cycles() == [["foundry.things.models", "foundry.things.services"]]
        assert ("foundry.things.models", "foundry.things.services") in upward_imports()
        assert [(i.source, i.target) for i in imports() if i.where == "function"] == [
            ("foundry.things.services", "foundry.things.routes")
        ]
    finally:
        modules.cache_clear()
        imports.cache_clear()


# --- the blueprints ---------------------------------------------------------------------


def test_every_blueprint_is_registered_flat_by_the_factory(app):
    names = [blueprint.name for blueprint in BLUEPRINTS]
    assert sorted(app.blueprints) == sorted(names), "one flat list, none nested"
    assert all(not blueprint._blueprints for blueprint in BLUEPRINTS)


def test_the_factory_hides_no_module_of_the_package():
    """A name the factory imports must not shadow a module: `foundry.db` stays the module."""
    for name in modules():
        if name.count(".") == 1:
            value = getattr(foundry, name.rpartition(".")[2], None)
            assert value is None or isinstance(value, ModuleType), name


def test_each_routes_module_defines_its_own_blueprint():
    """`bp = Blueprint(...)` in every *routes.py: the views and their blueprint together."""
    for name, path in modules().items():
        if not name.endswith("routes") or not checked(name):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = [
            node
            for node in tree.body
            if isinstance(node, ast.Assign)
            and [ast.unparse(t) for t in node.targets] == ["bp"]
            and ast.unparse(node.value).startswith("Blueprint(")
        ]
        assert len(defined) == 1, name


# --- the tests --------------------------------------------------------------------------


def test_test_folders_are_named_after_domains():
    domains = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    for folder in sorted(TESTS.iterdir()):
        if not folder.is_dir() or folder.name.startswith((".", "__")):
            continue
        assert folder.name in domains or folder.name in NOT_A_DOMAIN, folder.name
        if folder.name in NOT_A_DOMAIN:
            continue
        for inner in sorted(folder.rglob("*")):
            if not inner.is_dir() or "__pycache__" in inner.parts:
                continue
            relative = inner.relative_to(TESTS).as_posix()
            code = PACKAGE / relative
            named_after_module = code.is_dir() or code.with_suffix(".py").is_file()
            assert named_after_module or relative in NOT_A_MODULE, relative
            assert (inner / "__init__.py").is_file(), f"{relative} is not a package"
