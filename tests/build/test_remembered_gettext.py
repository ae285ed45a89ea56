"""A locale's template gettext keeps its answers (rendering._remembered): they must be what it would answer."""

import gettext

from pipeline.build import rendering
from pipeline.build.sourcemarks import has_translation, marking


def _marking_gettext():
    translations = gettext.NullTranslations()
    singular, plural = has_translation(translations)
    return marking(translations.gettext, singular), marking(translations.ngettext, plural)


def test_remembered_answers_are_the_answers_asked_again():
    plain_gettext, plain_ngettext = _marking_gettext()
    asked = []

    def counting(*args):
        asked.append(args)
        return plain_gettext(*args)

    remembered = rendering._remembered(counting, (str,))
    ngettext = rendering._remembered(plain_ngettext, (str, str, int))
    for _ in range(3):
        for text in ("Skip to content", "By %(author)s", "a < b & c", ""):
            assert remembered(text) == plain_gettext(text)
            assert type(remembered(text)) is type(plain_gettext(text))
        for n in (0, 1, 2, 7):
            assert ngettext("%(num)s min", "%(num)s mins", n) == plain_ngettext("%(num)s min", "%(num)s mins", n)
    assert len(asked) == 4


def test_arguments_that_are_equal_but_of_other_types_are_answered_apart():
    plain_gettext, plain_ngettext = _marking_gettext()
    remembered = rendering._remembered(plain_gettext, (str,))
    ngettext = rendering._remembered(plain_ngettext, (str, str, int))
    assert remembered(1) == plain_gettext(1) and remembered(True) == plain_gettext(True) != remembered(1)
    assert ngettext("a", "b", 1) == plain_ngettext("a", "b", 1)
    assert ngettext("a", "b", True) == plain_ngettext("a", "b", True)
    assert ngettext("a", "b", 1.0) == plain_ngettext("a", "b", 1.0)


def test_past_the_kept_answers_strings_are_still_answered():
    plain_gettext, _ = _marking_gettext()
    remembered = rendering._remembered(plain_gettext, (str,))
    texts = [f"text {i}" for i in range(rendering._REMEMBERED_ANSWERS + 50)]
    for _ in range(2):
        assert [remembered(text) for text in texts] == [plain_gettext(text) for text in texts]


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
]


def test_kept_answers_render_as_jinja_own_gettext():
    """``rendering._answers_kept``: every call asked twice (kept, then answered from what is kept), with variables,
    other types, autoescape off and strings with %-escapes, renders as Jinja's own function does."""
    kept, own = _environments()
    context = {"who": "<Ann & Bob>", "number": 3}
    for source in _TEMPLATES:
        for _ in range(2):
            assert kept.from_string(source).render(context) == own.from_string(source).render(context), source


def test_a_string_asked_without_its_variables_fails_as_jinja_own_each_time():
    import pytest

    kept, own = _environments()
    for _ in range(2):
        for environment in (kept, own):
            with pytest.raises(KeyError):
                environment.from_string('{{ _("By %(name)s") }}').render()
