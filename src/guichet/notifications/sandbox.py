"""A locked-down Django template engine for the messages supervisors write.

Templates may use the Django syntax residents' messages need — ``{{ variable }}``, a few text
filters, ``{% if %}``, ``{% firstof %}``, ``{% with %}``, ``{% comment %}`` — and nothing else: no
``{% load %}``, ``{% include %}``, ``{% debug %}`` or ``{% url %}``, no loaders. Contexts hold
only strings (see events.py), so no application object can be reached from a template.

Errors are explained in French, with the line, for the template editing screen.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.template import Context, Engine, Library, Node, TemplateSyntaxError
from django.template import Template as DjangoTemplate
from django.template.base import FilterExpression, Variable, VariableNode
from django.template.defaultfilters import register as default_filters
from django.template.defaulttags import FirstOfNode, IfNode, TemplateLiteral, WithNode
from django.template.defaulttags import register as default_tags
from django.utils.translation import gettext as _

ALLOWED_TAGS = ("if", "firstof", "with", "comment")
ALLOWED_FILTERS = (
    "capfirst",
    "default",
    "lower",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
)

# The engine's only built-in library (see SandboxEngine.default_builtins).
register = Library()
for _tag in ALLOWED_TAGS:
    register.tags[_tag] = default_tags.tags[_tag]
for _filter in ALLOWED_FILTERS:
    register.filters[_filter] = default_filters.filters[_filter]


class SandboxEngine(Engine):
    # Replaces Django's default tags, filters and loader tags with the short list above.
    default_builtins = [__name__]


@functools.cache
def engine() -> SandboxEngine:
    # debug=True only annotates syntax errors with their line (for the editor). Messages are
    # plain text, never autoescaped: their HTML part is built from the text (rendering.py).
    return SandboxEngine(
        dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=False, debug=True
    )


class MessageTemplateError(ValueError):
    """The template cannot be used: the message says why, in French, for the supervisor."""


def compile_template(source: str) -> DjangoTemplate:
    """Return the compiled template, or raise MessageTemplateError explaining the mistake."""
    try:
        return _compiled(source)
    except TemplateSyntaxError as exc:
        raise MessageTemplateError(explain_syntax_error(exc)) from exc


@functools.lru_cache(maxsize=512)
def _compiled(source: str) -> DjangoTemplate:
    # Keyed by the source text itself, so an edited template is simply another entry; compiled
    # templates hold no per-render state and are safe to share between threads.
    return engine().from_string(source)


def render_text(template: DjangoTemplate, context: dict[str, str]) -> str:
    """Render ``template`` as plain text (nothing escaped), with string values only."""
    values = {name: str(value) for name, value in context.items()}
    return template.render(Context(values, autoescape=False))


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Invalid block tag on line \d+: '(?P<name>[^']*)'"), "tag"),
    (re.compile(r"Unclosed tag on line \d+: '(?P<name>[^']*)'"), "unclosed"),
    (re.compile(r"Invalid filter: '(?P<name>[^']*)'"), "filter"),
    (re.compile(r"Variables and attributes may not begin with underscores"), "variable"),
    (re.compile(r"Could not parse (the remainder|some characters)"), "variable"),
    (re.compile(r"Empty variable tag"), "empty"),
]


def explain_syntax_error(exc: TemplateSyntaxError) -> str:
    """Return a French explanation of a template syntax error, with its line when known."""
    detail = str(exc)
    reason = _("la syntaxe n'est pas valide (%(detail)s).") % {"detail": detail}
    for pattern, kind in _PATTERNS:
        match = pattern.search(detail)
        if not match:
            continue
        name = match.groupdict().get("name", "")
        if kind == "tag" and name.startswith("end"):
            reason = _("la balise {%% %(name)s %%} ferme un bloc qui n'a pas été ouvert.") % {
                "name": name
            }
        elif kind == "tag":
            reason = _(
                "la balise {%% %(name)s %%} n'existe pas ou n'est pas autorisée dans les "
                "messages. Balises possibles : %(allowed)s."
            ) % {"name": name, "allowed": ", ".join(ALLOWED_TAGS)}
        elif kind == "unclosed":
            reason = _(
                "la balise {%% %(name)s %%} n'est pas fermée : ajoutez {%% end%(name)s %%}."
            ) % {"name": name}
        elif kind == "filter":
            reason = _(
                "le filtre « %(name)s » n'existe pas ou n'est pas autorisé dans les messages. "
                "Filtres possibles : %(allowed)s."
            ) % {"name": name, "allowed": ", ".join(ALLOWED_FILTERS)}
        elif kind == "empty":
            reason = _(
                "une balise {{ }} est vide : écrivez le nom d'une variable entre les accolades."
            )
        else:
            reason = _(
                "une variable est mal écrite : utilisez {{ nom_de_variable }}, avec un nom de la "
                "liste des variables disponibles."
            )
        break
    line = getattr(exc, "template_debug", {}).get("line")
    if line:
        return _("Erreur à la ligne %(line)d : %(reason)s") % {"line": line, "reason": reason}
    return _("Erreur : %(reason)s") % {"reason": reason}


def _expression_names(expression: FilterExpression) -> Iterator[str]:
    if isinstance(expression.var, Variable) and expression.var.lookups:
        yield expression.var.lookups[0]
    for _func, args in expression.filters:
        for is_variable, arg in args:
            if is_variable and isinstance(arg, Variable) and arg.lookups:
                yield arg.lookups[0]


def _condition_names(condition: Any) -> Iterator[str]:
    if isinstance(condition, TemplateLiteral):
        if isinstance(condition.value, FilterExpression):
            yield from _expression_names(condition.value)
        return
    for side in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if side is not None:
            yield from _condition_names(side)


def used_variables(nodes: Iterable[Node]) -> Iterator[str]:
    """Yield the names of the context variables a compiled template reads."""
    for node in nodes:
        if isinstance(node, VariableNode):
            yield from _expression_names(node.filter_expression)
        elif isinstance(node, IfNode):
            for condition, nodelist in node.conditions_nodelists:
                if condition is not None:
                    yield from _condition_names(condition)
                yield from used_variables(nodelist)
        elif isinstance(node, FirstOfNode):
            for expression in node.vars:
                yield from _expression_names(expression)
        elif isinstance(node, WithNode):
            for expression in node.extra_context.values():
                yield from _expression_names(expression)
            defined = set(node.extra_context)
            yield from (name for name in used_variables(node.nodelist) if name not in defined)
        else:
            for attribute in node.child_nodelists:
                yield from used_variables(getattr(node, attribute, None) or [])


def check_variables(template: DjangoTemplate, allowed: Iterable[str]) -> None:
    """Raise MessageTemplateError if ``template`` reads a variable outside ``allowed``."""
    allowed = list(allowed)
    unknown = sorted(set(used_variables(template.nodelist)) - set(allowed))
    if unknown:
        raise MessageTemplateError(
            _(
                "Variable inconnue pour ce message : %(unknown)s. Variables disponibles : "
                "%(allowed)s."
            )
            % {
                "unknown": ", ".join(f"{{{{ {name} }}}}" for name in unknown),
                "allowed": ", ".join(f"{{{{ {name} }}}}" for name in allowed),
            }
        )
