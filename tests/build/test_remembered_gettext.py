"""A locale's template gettext keeps its answers (rendering._template_gettext): they must be what Jinja's would answer."""

import gettext

from pipeline.build import rendering
from pipeline.build.sourcemarks import has_translation, marking


def _marking_gettext():
    translations = gettext.NullTranslations()
    singular, plural = has_translation(translations)
    return marking(translations.gettext, singular), marking(translations.ngettext, plural)


def _counting_environment(asked: list):
    """An environment with the build's gettext over a marking locale whose gettext and ngettext count their asks."""
    import jinja2

    plain_gettext, plain_ngettext = _marking_gettext()

    def counting(func):
        def answer(*args):
            asked.append(args)
            return func(*args)

        return answer

    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"], undefined=jinja2.StrictUndefined)
    env.install_gettext_callables(gettext=plain_gettext, ngettext=plain_ngettext, newstyle=True)
    env.globals.update(rendering._template_gettext(counting(plain_gettext), counting(plain_ngettext)))
    return env


def test_kept_answers_are_asked_once():
    asked: list = []
    env = _counting_environment(asked)
    source = (
        '{{ _("Skip to content") }}{{ _("By %(author)s", author=who) }}{{ gettext("a < b & c") }}'
        '{% trans count=n %}{{ count }} min{% pluralize %}{{ count }} mins{% endtrans %}'
    )
    for who in ("Ann", "<Bob>", "Ann"):
        for n in (0, 1, 2, 1):
            env.from_string(source).render(who=who, n=n)
    assert sorted(asked) == sorted(
        [("Skip to content",), ("By %(author)s",), ("a < b & c",)]
        + [("%(count)s min", "%(count)s mins", n) for n in (0, 1, 2)]
    )


def test_arguments_that_are_equal_but_of_other_types_are_answered_apart():
    asked: list = []
    env = _counting_environment(asked)
    source = '{{ ngettext("a", "b", n) }}|{{ gettext(s) }}'
    answers = [env.from_string(source).render(n=n, s=s) for n, s in ((1, "x"), (True, 1), (1.0, True), (1, "x"))]
    assert answers[0] == answers[3]
    # the last page's are kept; True, 1 and 1.0 are each asked, not answered from what 1 was
    assert [tuple(map(type, args)) for args in asked] == [
        (str, str, int), (str,), (str, str, bool), (int,), (str, str, float), (bool,)
    ]


def test_past_the_kept_answers_strings_are_still_answered():
    asked: list = []
    env = _counting_environment(asked)
    plain_gettext, _ = _marking_gettext()
    texts = [f"text {i}" for i in range(rendering._KEPT_ANSWERS + 50)]
    template = env.from_string("{{ _(text) }}|{{ gettext(text, n=1) }}")
    for _ in range(2):
        assert [template.render(text=text) for text in texts] == [f"{plain_gettext(t)}|{plain_gettext(t)}" for t in texts]


def _environments():
    """An environment with the build's gettext (kept answers) and one with Jinja's own new-style gettext, for one
    marking locale."""
    import jinja2

    def environment():
        return jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"], undefined=jinja2.StrictUndefined)

    kept, own = environment(), environment()
    rendering._install(kept, gettext.NullTranslations(), mark_untranslated=True)
    plain_gettext, plain_ngettext = _marking_gettext()
    own.install_gettext_callables(gettext=plain_gettext, ngettext=plain_ngettext, newstyle=True)
    return kept, own


_TEMPLATES = [
    '{{ _("Skip to content") }}|{{ gettext("a < b & c") }}|{{ _("100%% sure") }}|{{ _("") }}',
    '{% trans %}Read in{% endtrans %}|{% trans name=who %}By {{ name }}{% endtrans %}',
    '{{ _("By %(name)s", name=who) }}|{{ gettext(who) }}|{{ _(number) }}',
    '{% autoescape false %}{{ _("a < b") }}{{ gettext("x & y") }}{% endautoescape %}{{ _("a < b") }}',
    '{% for i in range(3) %}{{ _("Languages") }}{% set x = i %}{{ _("Languages") }}{% endfor %}',
    '{% trans count=n %}{{ count }} min read{% pluralize %}{{ count }} min read{% endtrans %}|{{ ngettext("%(num)s a", "%(num)s b", n) }}',
    '{{ ngettext("a & %(num)s", "b < %(num)s", flag) }}|{{ ngettext(who, "x", n) }}|{% autoescape false %}{{ ngettext("<%(num)s>", "<%(num)s>s", n) }}{% endautoescape %}',
    '{% macro m() %}{{ _("Read in") }}{{ caller() }}{% endmacro %}{% call m() %}{{ _("Languages") }}{% endcall %}',
]


def test_kept_answers_render_as_jinja_own_gettext():
    """``rendering._answers_kept``: every call asked twice (kept, then answered from what is kept), with variables,
    other types, autoescape off and strings with %-escapes, renders as Jinja's own function does."""
    kept, own = _environments()
    for context in ({"who": "<Ann & Bob>", "number": 3, "n": 2, "flag": True}, {"who": "x", "number": 1.5, "n": 1, "flag": 0}):
        for source in _TEMPLATES:
            for _ in range(2):
                assert kept.from_string(source).render(context) == own.from_string(source).render(context), source


def test_underscore_calls_the_gettext_the_context_holds_as_jinja_own_does():
    """``_`` is Jinja's alias of whatever ``gettext`` the context holds: a template given another one gets it."""
    kept, own = _environments()
    source = '{{ _("Read in") }}|{{ _("By %(name)s", name=who) }}'
    for environment in (kept, own):
        other = environment.from_string(source).render(gettext=lambda text, **values: f"[{text}]", who="Ann")
        assert other == "[Read in]|[By %(name)s]"
    assert kept.from_string(source).render(who="<A>") == own.from_string(source).render(who="<A>")


def test_a_string_asked_without_its_variables_fails_as_jinja_own_each_time():
    import pytest

    kept, own = _environments()
    for _ in range(2):
        for environment in (kept, own):
            with pytest.raises(KeyError):
                environment.from_string('{{ _("By %(name)s") }}').render()
