"""lib.forms.FastSelect writes the <select> that Django's Select writes through its templates,
but for the blank lines between the options: attributes, the selected option, option groups,
escaping."""

from django import forms
from django.utils.safestring import mark_safe

from lib.forms import FastSelect

CHOICES = [
    ("", "ทุกประเภท"),
    ("a&b", 'A "quoted" <label>'),
    ("กลุ่ม <1>", [(1, "หนึ่ง"), (2, mark_safe("<b>สอง</b>"))]),
    ("z", "Z"),
]


def _both(value, attrs):
    django = forms.Select(choices=CHOICES, attrs={"class": "form-select"})
    fast = FastSelect(choices=CHOICES, attrs={"class": "form-select"})
    return str(django.render("kind", value, attrs)), str(fast.render("kind", value, attrs))


def _without_blank_lines(html):
    return "\n".join(line for line in html.splitlines() if line.strip())


def test_fast_select_writes_what_djangos_select_writes():
    for value, attrs in [
        ("", {"id": "id_kind"}),
        ("a&b", {"id": "id_kind", "aria-invalid": "true", "required": True, "disabled": False}),
        (2, {"id": "id_kind"}),
        ("not a choice", None),
        (None, None),
    ]:
        django, fast = _both(value, attrs)
        assert fast == _without_blank_lines(django)


def test_fast_select_marks_the_value_selected_and_escapes_labels():
    _django, fast = _both("a&b", {"id": "id_kind"})
    assert '<option value="a&amp;b" selected>A &quot;quoted&quot; &lt;label&gt;</option>' in fast
    assert '<optgroup label="กลุ่ม &lt;1&gt;">' in fast
    assert "<b>สอง</b>" in fast
