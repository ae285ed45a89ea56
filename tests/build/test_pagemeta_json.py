"""The JSON-LD of a page is written without json's Python encoder; it must be the bytes json.dumps(indent=1) gives."""

import json
import random

from markupsafe import Markup

from pipeline.build.pagemeta import script_json

_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})
_CHARACTERS = 'ab"\\\n\t<>&é\u2028\u2029\x00\x1f/'


def _value(rng: random.Random, depth: int = 0) -> object:
    text = "".join(rng.choice(_CHARACTERS) for _ in range(rng.randint(0, 5)))
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        return rng.choice([text, Markup(text), 1, 1.5, None, True])
    if roll < 0.6:
        return {(3 if rng.random() < 0.1 else text + str(i)): _value(rng, depth + 1) for i in range(rng.randint(0, 4))}
    if roll < 0.8:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return tuple(_value(rng, depth + 1) for _ in range(rng.randint(0, 3)))


def test_script_json_is_indented_json_made_safe_for_script():
    rng = random.Random(16)
    for _ in range(3000):
        value = _value(rng)
        assert script_json(value) == json.dumps(value, ensure_ascii=False, indent=1).translate(_SCRIPT_SAFE)
