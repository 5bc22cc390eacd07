"""RFC 8785 in the browser: the same bytes as the reference canonicaliser, and clear refusals.

Hypothesis draws batches of JSON values (any text, any finite float, safe
integers, nested); each batch is canonicalised in the page in one round trip
and compared, as UTF-8 bytes, with ``rfc8785.dumps``. Values travel as JSON
text so that every key (even ``__proto__``) and every float arrive as drawn.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page

from tests.browser.conftest import Live
from tests.browser.crypto.modules import open_console, run

SAFE = 2**53 - 1
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-SAFE, SAFE)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.sampled_from(["__proto__", "constructor", "\u2028\x7f\x00\x1f", "\U0001f600\ufb33"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.text() | st.sampled_from(["__proto__", "1", "\U0001f600"]), inner, max_size=5
        )
    ),
    max_leaves=25,
)

CANONICAL_BATCH = "return JSON.parse(arg).map((v) => bytes.b64encode(jcs.canonicalBytes(v)));"


def canonical_in_browser(page: Page, values: list[Any]) -> list[bytes]:
    found = run(page, CANONICAL_BATCH, json.dumps(values))
    return [base64.b64decode(text) for text in found]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(json_values, min_size=1, max_size=50))
def test_browser_jcs_equals_the_reference_canonicaliser(
    live: Live, page: Page, batch: list[Any]
) -> None:
    if page.url == "about:blank":
        open_console(live, page)
    assert canonical_in_browser(page, batch) == [rfc8785.dumps(v) for v in batch]


def test_members_are_ordered_by_utf16_code_units_not_code_points(live: Live, page: Page) -> None:
    value = {"\ufb33": 1, "\U0001f600": 2, "\u20ac": 3, "\r": 4, "1": 5, "\x80": 6, "ö": 7}
    [found] = canonical_in_browser(open_console(live, page), [value])
    assert found == rfc8785.dumps(value)
    # U+1F600 is written D83D DE00 in UTF-16: before U+FB33, though its code point is larger
    assert found.index("\U0001f600".encode()) < found.index("\ufb33".encode())


def test_the_rfc8785_sample_is_canonicalised_as_the_rfc_writes_it(live: Live, page: Page) -> None:
    text = (
        '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],'
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        '"literals":[null,true,false]}'
    )
    found = run(open_console(live, page), "return jcs.canonicalize(JSON.parse(arg));", text)
    assert found == (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )


def test_numbers_are_written_as_ecmascript_writes_them(live: Live, page: Page) -> None:
    numbers = [-0.0, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, SAFE, -SAFE]
    [found] = canonical_in_browser(open_console(live, page), [numbers])
    assert found == b"[0,1e+21,1e-7,5e-324,1.7976931348623157e+308,0.30000000000000004," + (
        b"9007199254740991,-9007199254740991]"
    )


REFUSALS = """
const cases = {
  nan: {amount: NaN},
  infinity: {body: {amount: Infinity}},
  undefined_member: {body: {note: undefined}},
  undefined_item: [1, undefined],
  hole: [1, , 3],
  function: {f: () => 1},
  symbol: {s: Symbol("x")},
  bigint: {amount: 10n},
  lone_surrogate: {name: "L\\ud800"},
  lone_surrogate_key: {["\\udc00"]: 1},
  date: {at: new Date(0)},
  map: {m: new Map()},
  bytes: {b: new Uint8Array(2)},
};
const circular = {a: {}};
circular.a.back = circular;
cases.circular = circular;
const out = {};
for (const [name, value] of Object.entries(cases)) {
  try { out[name] = {written: jcs.canonicalize(value)}; }
  catch (e) { out[name] = {error: e.message, isError: e instanceof Error}; }
}
return out;
"""


def test_values_json_cannot_hold_are_refused_naming_where_they_are(live: Live, page: Page) -> None:
    found = run(open_console(live, page), REFUSALS)
    expected = {
        "nan": "$.amount: NaN is not a finite number",
        "infinity": "$.body.amount: Infinity is not a finite number",
        "undefined_member": "$.body.note: undefined has no JSON form",
        "undefined_item": "$[1]: undefined has no JSON form",
        "hole": "$[1]: an array hole has no JSON form",
        "function": "$.f: a function has no JSON form",
        "symbol": "$.s: a symbol has no JSON form",
        "bigint": "$.amount: a BigInt",
        "lone_surrogate": "$.name: a lone surrogate is not Unicode text",
        "lone_surrogate_key": "$ (a member name): a lone surrogate",
        "date": "$.at: a Date object has no JSON form",
        "map": "$.m: a Map object has no JSON form",
        "bytes": "$.b: a Uint8Array object has no JSON form",
        "circular": "$.a.back: circular reference",
    }
    assert set(found) == set(expected)
    for name, start in expected.items():
        assert "written" not in found[name], name
        assert found[name]["isError"], name
        assert found[name]["error"].startswith(f"JCS: {start}"), (name, found[name])


def test_canonical_bytes_are_the_utf8_of_the_canonical_text(live: Live, page: Page) -> None:
    value = {"ten": "Lò Văn Minh", "nums": [0, -1, 1.5], "empty": {}, "list": []}
    [found] = canonical_in_browser(open_console(live, page), [value])
    assert found == rfc8785.dumps(value)
    assert found.decode("utf-8") == '{"empty":{},"list":[],"nums":[0,-1,1.5],"ten":"Lò Văn Minh"}'
