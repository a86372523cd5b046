"""What the pages show in the reader's language that is not a fixed string: level and
indicator names, the reason for a level, dates.

Level and indicator names are data: `Level.name` and `Indicator.name` come from the reference
data and are stored as the NACC writes them ("ผ่าน", "การเปิดเผยข้อมูล" ...). The pages show the
names the NACC uses through gettext, so that an English reader sees "Pass" and "Information
disclosure" while the stored names, the checks that compare them and the printed reports
(rendered in Thai) keep the Thai ones; any other name is shown as stored.
"""

from functools import cache

from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy

from .scoring import round2

KNOWN_LEVELS = {
    "ผ่านดีเยี่ยม": pgettext_lazy("ITA level", "ผ่านดีเยี่ยม"),
    "ผ่านดี": pgettext_lazy("ITA level", "ผ่านดี"),
    "ผ่าน": pgettext_lazy("ITA level", "ผ่าน"),
    "ต้องปรับปรุง": pgettext_lazy("ITA level", "ต้องปรับปรุง"),
    "ต้องปรับปรุงโดยด่วน": pgettext_lazy("ITA level", "ต้องปรับปรุงโดยด่วน"),
}

KNOWN_INDICATORS = {
    "การปฏิบัติหน้าที่": pgettext_lazy("ITA indicator", "การปฏิบัติหน้าที่"),
    "การใช้งบประมาณ": pgettext_lazy("ITA indicator", "การใช้งบประมาณ"),
    "การใช้อำนาจ": pgettext_lazy("ITA indicator", "การใช้อำนาจ"),
    "การใช้ทรัพย์สินของราชการ": pgettext_lazy("ITA indicator", "การใช้ทรัพย์สินของราชการ"),
    "การแก้ไขปัญหาการทุจริต": pgettext_lazy("ITA indicator", "การแก้ไขปัญหาการทุจริต"),
    "คุณภาพการดำเนินงาน": pgettext_lazy("ITA indicator", "คุณภาพการดำเนินงาน"),
    "ประสิทธิภาพการสื่อสาร": pgettext_lazy("ITA indicator", "ประสิทธิภาพการสื่อสาร"),
    "การปรับปรุงระบบการทำงาน": pgettext_lazy("ITA indicator", "การปรับปรุงระบบการทำงาน"),
    "การเปิดเผยข้อมูล": pgettext_lazy("ITA indicator", "การเปิดเผยข้อมูล"),
    "การป้องกันการทุจริต": pgettext_lazy("ITA indicator", "การป้องกันการทุจริต"),
}


def level_label(name):
    """A level name as the reader's language shows it: "ผ่าน" -> "Pass" in English.

    >>> level_label("ผ่าน")
    'ผ่าน'
    >>> level_label("B")
    'B'
    """
    return _known(name, KNOWN_LEVELS)


def indicator_name(name):
    """An indicator name as the reader's language shows it: "การใช้อำนาจ" -> "Use of authority"
    in English.

    >>> indicator_name("การใช้อำนาจ")
    'การใช้อำนาจ'
    """
    return _known(name, KNOWN_INDICATORS)


def _known(name, labels):
    """The translated label of a stored Thai name the NACC uses, or the name as stored."""
    key = name.strip() if name else ""
    if key not in labels:
        return name
    return _in_language(translation.get_language(), key, labels is KNOWN_LEVELS)


@cache
def _in_language(language, key, is_level):
    """A known name as text in `language`, worked out once per language and name: the
    catalogues do not change while the process runs, and a page shows the same names many
    times (the cache is keyed by the name, not by the lazy label, whose hash translates it)."""
    labels = KNOWN_LEVELS if is_level else KNOWN_INDICATORS
    with translation.override(language):
        return str(labels[key])


def level_reason(result):
    """What kept a result (`scoring.Result`) from the next level up, in words, or "".

    >>> from decimal import Decimal as D
    >>> from assessments.scoring import Gate, LevelRule, Result
    >>> level_reason(Result({}, D("90.4172"), LevelRule("ผ่าน", D(85)),
    ...                     gates=[Gate("ผ่านดี", "OIT", D("83.75"), D("85.00"))]))
    'ไม่ถึงระดับผ่านดี เพราะ OIT 83.75 ต่ำกว่า 85'
    """
    if result.level is None or not result.gates:
        return ""
    gates = ", ".join(
        gettext("%(tool)s %(mean)s ต่ำกว่า %(minimum)s") % {
            "tool": gate.tool,
            # As the rounding rule prints it, so that the reason never contradicts the level.
            "mean": gate.mean_shown if gate.mean_shown is not None else round2(gate.mean),
            "minimum": f"{gate.minimum.normalize():f}",
        }
        for gate in result.gates
    )
    return gettext("ไม่ถึงระดับ%(level)s เพราะ %(gates)s") % {
        "level": level_label(result.gates[0].level), "gates": gates,
    }

