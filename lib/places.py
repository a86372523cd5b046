"""Thailand's provinces, and the ways files and forms write a province or a district.

Plain Python. Onboarding checks every province against the 77 (76 provinces and Bangkok), since
an organisation filed under a misspelt province would be invisible to its area office.
"""

import difflib
import re

PROVINCES = [
    # North
    "เชียงราย", "เชียงใหม่", "น่าน", "พะเยา", "แพร่", "แม่ฮ่องสอน", "ลำปาง", "ลำพูน", "อุตรดิตถ์",
    # Northeast
    "กาฬสินธุ์", "ขอนแก่น", "ชัยภูมิ", "นครพนม", "นครราชสีมา", "บึงกาฬ", "บุรีรัมย์", "มหาสารคาม",
    "มุกดาหาร", "ยโสธร", "ร้อยเอ็ด", "เลย", "ศรีสะเกษ", "สกลนคร", "สุรินทร์", "หนองคาย", "หนองบัวลำภู",
    "อำนาจเจริญ", "อุดรธานี", "อุบลราชธานี",
    # Central
    "กรุงเทพมหานคร", "กำแพงเพชร", "ชัยนาท", "นครนายก", "นครปฐม", "นครสวรรค์", "นนทบุรี", "ปทุมธานี",
    "พระนครศรีอยุธยา", "พิจิตร", "พิษณุโลก", "เพชรบูรณ์", "ลพบุรี", "สมุทรปราการ", "สมุทรสงคราม",
    "สมุทรสาคร", "สิงห์บุรี", "สุโขทัย", "สุพรรณบุรี", "สระบุรี", "อ่างทอง", "อุทัยธานี",
    # East
    "จันทบุรี", "ฉะเชิงเทรา", "ชลบุรี", "ตราด", "ปราจีนบุรี", "ระยอง", "สระแก้ว",
    # West
    "กาญจนบุรี", "ตาก", "ประจวบคีรีขันธ์", "เพชรบุรี", "ราชบุรี",
    # South
    "กระบี่", "ชุมพร", "ตรัง", "นครศรีธรรมราช", "นราธิวาส", "ปัตตานี", "พังงา", "พัทลุง", "ภูเก็ต",
    "ยะลา", "ระนอง", "สงขลา", "สตูล", "สุราษฎร์ธานี",
]
# Short forms in everyday use.
PROVINCE_ALIASES = {"กรุงเทพฯ": "กรุงเทพมหานคร", "กทม": "กรุงเทพมหานคร", "กรุงเทพ": "กรุงเทพมหานคร",
                    "อยุธยา": "พระนครศรีอยุธยา", "โคราช": "นครราชสีมา"}
_PROVINCE_PREFIX = re.compile(r"^(จังหวัด|จ\.)\s*")
_DISTRICT_PREFIX = re.compile(r"^(อำเภอ|อ\.|เขต)\s*")
_SPACES = re.compile(r"\s+")


def _squeeze(text):
    return _SPACES.sub("", str(text or "")).replace("\u200b", "")


def province_name(text):
    """The province's official name ("จ. นครราชสีมา", "จังหวัดนครราชสีมา ", "โคราช" ->
    "นครราชสีมา"), or None when it is not one of the 77. "" stays ""."""
    name = _PROVINCE_PREFIX.sub("", _squeeze(text))
    if not name:
        return ""
    name = PROVINCE_ALIASES.get(name.rstrip("."), name)
    return name if name in PROVINCES else None


def province_suggestion(text):
    """The province a misspelt name most resembles, or None."""
    found = difflib.get_close_matches(_PROVINCE_PREFIX.sub("", _squeeze(text)), PROVINCES, n=1, cutoff=0.6)
    return found[0] if found else None


def district_name(text):
    """A district as one writes it without its prefix: "อ.วังน้ำเขียว", "อำเภอ วังน้ำเขียว" ->
    "วังน้ำเขียว". Districts are not checked against a list (there are 878)."""
    return _DISTRICT_PREFIX.sub("", _squeeze(text))
