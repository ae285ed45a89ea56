"""The build's Jinja environment (rendering._page_environment_class) answers as Jinja's own: its escaping of
every ``{{ value }}`` and its attribute lookups on dicts are quicker paths that must agree with the general ones."""

import jinja2
import markupsafe
from hypothesis import example, given, settings, strategies as st

from pipeline.build import rendering


class _Html:
    def __html__(self):
        return "<b>safe</b>"


class _Text(str):
    pass


_VALUES = st.one_of(
    st.text(),
    st.text().map(markupsafe.Markup),
    st.text().map(_Text),
    st.integers(),
    st.floats(allow_nan=False),
    st.sampled_from([None, True, False, _Html(), b"bytes", ("a", "<b>")]),
)


@given(_VALUES)
def test_escape_is_markupsafe_escape(value):
    expected = markupsafe.escape(value)
    answer = rendering._escape(value)
    assert type(answer) is type(expected) is markupsafe.Markup
    assert str.__str__(answer) == str.__str__(expected)


_NAMES = st.one_of(st.text(max_size=12), st.sampled_from(sorted(set(dir(dict)) | set(dir(type)) | {"__dict__"})))
_OBJECTS = st.one_of(
    st.dictionaries(_NAMES, st.integers(), max_size=4),
    st.builds(lambda keys: type("Sub", (dict,), {})(dict.fromkeys(keys, 1)), st.lists(_NAMES, max_size=3)),
    st.sampled_from([[1, 2], "text", 3, None, jinja2.Undefined(), type("Info", (), {"tag": "fr", "items": 2})()]),
)


def _answer(environment, obj, name):
    try:
        value = environment.getattr(obj, name)
    except Exception as error:  # noqa: BLE001 -- the same failure is the same answer
        return ("raised", type(error))
    if isinstance(value, jinja2.Undefined):
        return ("undefined", type(value), value._undefined_name)
    return ("value", value)


@given(_OBJECTS, _NAMES)
def test_getattr_is_jinja_own(obj, name):
    general = jinja2.Environment(undefined=jinja2.StrictUndefined)
    page = rendering._page_environment_class()(undefined=jinja2.StrictUndefined)
    assert _answer(page, obj, name) == _answer(general, obj, name)


def test_getattr_is_jinja_own_for_every_name_a_dict_has():
    general = jinja2.Environment(undefined=jinja2.StrictUndefined)
    page = rendering._page_environment_class()(undefined=jinja2.StrictUndefined)
    for name in sorted(set(dir(dict)) | set(dir(type)) | {"__dict__", "href"}):
        for obj in ({}, {name: "<item>"}):
            assert _answer(page, obj, name) == _answer(general, obj, name), name


_TEMPLATES = [
    "{{ a }}|{{ b }}|{{ c }}|{{ d.href }}|{{ d.items }}|{{ d['items'] }}|{{ page.tag }}",
    "{% for x in d %}{{ x }}={{ d[x] }};{% endfor %}{{ d.get('href') }}{{ a|safe }}{{ c|e }}",
    "{% autoescape false %}{{ a }}{{ b }}{% endautoescape %}{{ a ~ b }}{{ (a ~ b)|length }}",
    '{% set t = "<i>%s</i>"|safe % a %}{{ t }}{{ b|striptags }}{{ d|xmlattr }}',
]


def test_templates_render_as_in_jinja_own_environment(tmp_path):
    """Loaded from files (the build's way: its templates are compiled from a loader), then from strings."""
    for number, source in enumerate(_TEMPLATES):
        (tmp_path / f"t{number}.html").write_text(source, encoding="utf-8")
    page = rendering._page_environment_class()(autoescape=True, loader=jinja2.FileSystemLoader(str(tmp_path)))
    general = jinja2.Environment(autoescape=True, loader=jinja2.FileSystemLoader(str(tmp_path)))
    context = {
        "a": "<a href='x'>&amp;</a>", "b": markupsafe.Markup("<b>&amp;</b>"), "c": 3,
        "d": {"href": "a&b", "items": "<items>", "tag": "t"}, "page": type("Info", (), {"tag": "<fr>"})(),
    }
    for number, source in enumerate(_TEMPLATES):
        assert page.get_template(f"t{number}.html").render(context) == general.get_template(f"t{number}.html").render(context)
        assert page.from_string(source).render(context) == general.from_string(source).render(context)
    assert page.get_template("t0.html").root_render_func.__globals__["escape"] is rendering._escape


_PIECES = st.sampled_from(
    ["By ", "<b>&", "%(author)s", "%(n)s", "%%", "%s", "%(n)d", "%(a b)s", "%()s", "%(", ")s", "%", "(n)s", " min"]
)
_VARIABLES = st.dictionaries(
    st.sampled_from(["author", "n", "a b", "", "num"]),
    st.one_of(st.text(max_size=5), st.text(max_size=5).map(markupsafe.Markup), st.integers(), st.builds(jinja2.StrictUndefined)),
    max_size=4,
)


def _formatting(format_, text, variables):
    try:
        answer = format_(text, variables)
    except Exception as error:  # noqa: BLE001 -- the same failure is the same answer
        return ("raised", type(error))
    return ("value", type(answer), str.__str__(answer))


@settings(max_examples=400)
@given(st.lists(_PIECES, max_size=6).map("".join), _VARIABLES)
@example("By %(n)d min", {"n": 3})
@example("%(author)s & %%", {"author": "<A>", "n": jinja2.StrictUndefined()})
@example("%()s|%(a b)s", {"": 1, "a b": markupsafe.Markup("<i>")})
def test_formatted_is_markup_formatting(text, variables):
    """The templates' translations with variables ({% trans %}) are formatted as Jinja's new-style gettext does."""
    text = markupsafe.Markup(text)
    assert _formatting(rendering._formatted, text, variables) == _formatting(lambda t, v: t % v, text, variables)
