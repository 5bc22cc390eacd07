"""Reading JSON from outside: a key repeated anywhere is found, whatever the text hides it in."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.formats.jsontext import DuplicateKey, loads, loads_exact

KEYS = st.text(alphabet=':"\\ab\u00e9\u200b', min_size=1, max_size=4)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),  # beyond 64 bits orjson refuses, json.loads reads
    st.text(alphabet=':"\\x\u00e9\ud800', max_size=6),  # a lone surrogate: orjson refuses
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=12,
)


def write(value: Any, draw: Any, repeated: list[str]) -> str:
    """JSON text of ``value``; sometimes a ``:`` escaped, sometimes an object's key twice."""
    if isinstance(value, str):
        text = json.dumps(value)
        return text.replace(":", "\\u003a") if draw(st.booleans()) else text
    if isinstance(value, list):
        return "[" + ", ".join(write(v, draw, repeated) for v in value) + "]"
    if isinstance(value, dict):
        items = [
            write(k, draw, repeated) + ": " + write(v, draw, repeated) for k, v in value.items()
        ]
        if value and draw(st.integers(0, 4)) == 0:
            key = draw(st.sampled_from(sorted(value)))
            items.insert(draw(st.integers(0, len(items))), f"{json.dumps(key)} :0")
            repeated.append(key)
        return "{" + ",".join(items) + "}"
    return json.dumps(value)


@settings(max_examples=400, deadline=None)
@given(VALUES, st.data())
def test_a_repeated_key_is_refused_and_anything_else_reads_as_json_loads_reads_it(
    value: Any, data: st.DataObject
) -> None:
    repeated: list[str] = []
    text = write(value, data.draw, repeated)
    if repeated:
        for read in (loads, loads_exact):
            with pytest.raises(DuplicateKey) as refused:
                read(text, "envelope")
            assert refused.value.code == "MALFORMED"
            assert refused.value.message.startswith(f"{refused.value.field}: duplicate key")
        return
    try:
        as_read_before = orjson.loads(text)  # what submissions were read as before 1.1
    except orjson.JSONDecodeError:
        as_read_before = json.loads(text)
    assert loads(text, "envelope") == as_read_before
    assert loads_exact(text, "envelope") == json.loads(text)


def test_the_path_of_the_first_repeated_key_is_named() -> None:
    text = '{"a": [1, {"b": 2, "c": {"d": 1, "d": 2}}], "e": 1, "e": 2}'
    with pytest.raises(DuplicateKey) as refused:
        loads(text, "submission", at="body")
    assert refused.value.field == "body.e"
    with pytest.raises(DuplicateKey) as refused:
        loads('{"a": [1, {"b": 2, "c": {"d": 1, "d": 2}}]}', "payload")
    assert refused.value.field == "a[1].c.d"
    assert refused.value.message == (
        "a[1].c.d: duplicate key in the payload (FORMATS 1.1: a JSON object may not repeat a key)"
    )


def test_an_envelope_with_colons_only_where_keys_are_is_read_without_rendering_it() -> None:
    envelope = {"payloadType": "t", "payload": "eyJ9", "signatures": [{"keyid": "a", "sig": "b"}]}
    text = json.dumps(envelope)
    assert text.count(":") == 5
    assert loads(text, "envelope") == envelope
    repeated = text[:-1] + ', "payload": "e30="}'
    assert orjson.loads(repeated)["payload"] == "e30="  # what the last-wins reading kept
    with pytest.raises(DuplicateKey):
        loads(repeated, "envelope")
    with pytest.raises(DuplicateKey):  # a colon hidden in a string does not hide the key
        loads(repeated.replace('"t"', '"\\u003a"'), "envelope")


def test_text_nested_deeper_than_orjson_writes_is_still_checked() -> None:
    deep = '{"a":' * 300 + "1" + "}" * 300
    assert loads(deep, "envelope") == json.loads(deep)
    with pytest.raises(DuplicateKey):
        loads('{"a":' * 300 + '{"b":1,"b":2}' + "}" * 300, "envelope")
    assert loads(b'{"a":1}', "envelope") == {"a": 1}
    with pytest.raises(ValueError):
        loads("{", "envelope")
