"""Which of an organisation's units a plan row's responsible text names: plain Python, no Django.

The official table's ผู้รับผิดชอบ column is free text ("สำนักปลัด", "งานพัสดุ และ ทรัพย์สิน",
"ผู้บริหารสูงสุด / คณะกรรมการ ขับเคลื่อน ITA", "ทุกสำนัก/กองงาน"). The text is kept as written;
the units it names are what the portal files the row under. One function decides it for the
seed's loader and the plan import alike:

- text that says every unit ("ทุกสำนัก", "ทุกกอง", "ทุกส่วนราชการ" ...) is for all units;
- otherwise the text is split at "/", ",", ";" and line breaks, and each part names the units
  whose name or other names (`Unit.other_names`: its sections, the executive bodies it serves),
  spaces ignored, the part contains; a part that only abbreviates one unit's name ("สำนักปลัด"
  for "สำนักปลัดเทศบาล") names that unit;
- a part that names no unit, or abbreviates several, is unmapped and reported as such.
"""

import re
from dataclasses import dataclass, field

from lib.names import squash

ALL_UNITS = re.compile(r"ทุกสำนัก|ทุกกอง|ทุกส่วน(?:ราชการ|งาน)?|ทุกหน่วยงาน|ทุกฝ่าย")
PARTS = re.compile(r"[/,;\n]")
# A shorter part than this is no abbreviation of a unit's name ("กอง" is every กอง).
SHORTEST_ABBREVIATION = 5


@dataclass
class UnitMatch:
    units: list = field(default_factory=list)  # the units named, in the organisation's order
    for_all_units: bool = False
    unmapped: list = field(default_factory=list)  # the parts that name no unit, as written

    @property
    def mapped(self):
        return self.for_all_units or bool(self.units)


def match_units(text, units):
    """The units `text` names among `units` (objects with `names()`, in the organisation's order).

    >>> class U:
    ...     def __init__(self, name, *other): self.name, self.other = name, other
    ...     def names(self): return [self.name, *self.other]
    ...     def __repr__(self): return self.name
    >>> units = [U("สำนักปลัด", "ผู้บริหารสูงสุด"), U("กองคลัง", "งานพัสดุและทรัพย์สิน")]
    >>> match_units("งานพัสดุ และ ทรัพย์สิน", units)
    UnitMatch(units=[กองคลัง], for_all_units=False, unmapped=[])
    >>> match_units("ผู้บริหารสูงสุด / สภาตำบล", units)
    UnitMatch(units=[สำนักปลัด], for_all_units=False, unmapped=['สภาตำบล'])
    >>> match_units("ทุกสำนัก/กองงาน", units).for_all_units
    True
    """
    if ALL_UNITS.search(squash(text)):
        return UnitMatch(for_all_units=True)
    named, unmapped = set(), []
    for part in PARTS.split(text):
        part = part.strip()
        squashed = squash(part)
        if not squashed:
            continue
        hits = {unit for unit in units if any(squash(name) in squashed for name in unit.names())}
        if not hits and len(squashed) >= SHORTEST_ABBREVIATION:
            abbreviated = [unit for unit in units if any(squashed in squash(name) for name in unit.names())]
            hits = set(abbreviated) if len(abbreviated) == 1 else set()
        if hits:
            named |= hits
        else:
            unmapped.append(part)
    return UnitMatch(units=[unit for unit in units if unit in named], unmapped=unmapped)
