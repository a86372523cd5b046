"""English beside Thai: the catalogue, the language choice and the pages in each language.

Thai is the source language and the default. English comes only from the language cookie that
the switch sets (Django's set_language), never from the browser's Accept-Language header. The
printed reports and the downloads stay Thai whatever the reader's language.
"""

import ast
import datetime
import gettext
import re
from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import Membership
from assessments.display import indicator_name, level_label
from lib.i18n import display_date
from assessments.models import Assessment
from measures.models import Measure
from oversight.models import OversightMembership

from .conftest import make_measure, make_user

LOCALE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
ENGLISH = {settings.LANGUAGE_COOKIE_NAME: "en"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def read_po(path):
    """The entries of a .po file as dicts: ctxt, id, plural, str (or strs), flags. Enough of
    the format for the catalogue makemessages writes; obsolete (#~) entries are left out."""
    entries, entry, field = [], None, None

    def close():
        if entry and entry.get("id") is not None:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            close()
            entry, field = None, None
            continue
        entry = entry if entry is not None else {"flags": [], "ctxt": None, "plural": None, "strs": {}}
        if line.startswith("#,"):
            entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["strs"][field] += value
            else:
                entry[field] += value
        else:
            keyword, _, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            field = int(match.group(1)) if match else {
                "msgctxt": "ctxt", "msgid": "id", "msgid_plural": "plural", "msgstr": "str",
            }[keyword]
            if isinstance(field, int):
                entry["strs"][field] = ast.literal_eval(value)
            else:
                entry[field] = ast.literal_eval(value)
    close()
    return entries


@pytest.fixture(scope="module")
def po_entries():
    return read_po(LOCALE / "django.po")


# The catalogue --------------------------------------------------------------------------------


def test_every_msgid_has_an_english_translation_and_none_is_fuzzy(po_entries):
    messages = [e for e in po_entries if e["id"]]
    assert len(messages) > 600
    untranslated = [e["id"] for e in messages if not (all(e["strs"].values()) if e["plural"] else e["str"])]
    fuzzy = [e["id"] for e in po_entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []


def test_no_translation_is_left_in_thai_except_the_thai_column_names_it_quotes(po_entries):
    """The imports' messages name the Thai column headers and values a file must have (the plan's
    ตัวชี้วัด, an organisation's ชื่อหน่วยงาน or type อบต.), as they are."""
    thai = re.compile(r"[\u0e00-\u0e7f]")
    left = [
        e["id"] for e in po_entries
        if e["id"] and thai.search(e.get("str") or "".join(e["strs"].values()))
    ]
    quoted = ("ตัวชี้วัด", "สำนักปลัด", "ชื่อหน่วยงาน", "อบต.")
    assert all(any(word in msgid for word in quoted) for msgid in left), left


def test_translations_keep_every_placeholder(po_entries):
    for entry in po_entries:
        wanted = sorted(PLACEHOLDER.findall(entry["id"]))
        for text in [entry["str"]] if entry["plural"] is None else entry["strs"].values():
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (entry["id"], text)


def test_the_committed_mo_is_compiled_from_the_committed_po(po_entries):
    """Read the .mo with Python's own gettext (no msgfmt needed) and compare it with the .po
    entry by entry, so that a .po edited without compilemessages fails here."""
    with open(LOCALE / "django.mo", "rb") as mo:
        catalog = dict(gettext.GNUTranslations(mo)._catalog)
    expected = {}
    for entry in po_entries:
        key = entry["id"] if entry["ctxt"] is None else f"{entry['ctxt']}\x04{entry['id']}"
        if entry["plural"] is None:
            expected[key] = entry["str"]
        else:
            expected.update({(key, n): text for n, text in entry["strs"].items()})
    # msgfmt leaves the POT-Creation-Date out of the compiled header.
    header = [line for line in expected.pop("").splitlines() if not line.startswith("POT-Creation-Date")]
    assert catalog.pop("").splitlines() == header
    assert catalog == expected


def test_known_level_and_indicator_names_read_in_english_and_others_as_stored():
    with translation.override("en"):
        assert [level_label(name) for name in ("ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ต้องปรับปรุง", "ต้องปรับปรุงโดยด่วน")] == [
            "Excellent pass", "Good pass", "Pass", "Needs improvement", "Needs urgent improvement"
        ]
        assert level_label("B") == "B" and level_label("") == ""
        assert indicator_name("การเปิดเผยข้อมูล") == "Information disclosure"
        assert indicator_name("การใช้ งบประมาณ") == "การใช้ งบประมาณ"
        assert display_date(datetime.date(2026, 11, 24)) == "24 November 2569"
    with translation.override("th"):
        assert level_label("ผ่าน") == "ผ่าน"
        assert display_date(datetime.date(2026, 11, 24), short=True) == "24 พ.ย. 2569"


# Choosing the language ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["th", "en"])
def test_a_measures_status_label_is_what_django_displays_in_either_language(language):
    with translation.override(language):
        for status in Measure.Status.values:
            measure = Measure(status=status)
            assert measure.status_label == measure.get_status_display()
    assert Measure(status="gone").status_label == "gone"  # a value outside the choices, as Django shows it


def test_thai_is_the_default(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response["Content-Language"] == "th" and '<html lang="th">' in html
    assert "เข้าสู่ระบบ ITA Portal" in html and "Sign in to ITA Portal" not in html


@pytest.mark.parametrize("header", ["en", "en-US,en;q=0.9", "en-GB,en;q=0.8,th;q=0.5"])
def test_an_english_browser_still_gets_thai(header, client, db):
    """Many Thai civil servants run English-language browsers: Thai until they switch."""
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=header)
    html = response.content.decode()
    assert response["Content-Language"] == "th"
    assert "เข้าสู่ระบบ ITA Portal" in html and "Sign in to ITA Portal" not in html


def test_the_switch_sets_a_language_cookie_kept_for_a_year(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/?next=/plan/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/plan/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and int(cookie["max-age"]) == 365 * 24 * 60 * 60
    html = client.get(reverse("login")).content.decode()
    assert "Sign in to ITA Portal" in html and "เข้าสู่ระบบ ITA Portal" not in html
    assert '<html lang="en">' in html


def test_switching_back_to_thai(client, db):
    client.cookies.load(ENGLISH)
    client.post(reverse("set_language"), {"language": "th", "next": "/accounts/login/"})
    assert "เข้าสู่ระบบ ITA Portal" in client.get(reverse("login")).content.decode()


def test_the_switch_does_not_send_anyone_to_another_site(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_the_choice_survives_signing_out(client, personas, assessment):
    client.cookies.load(ENGLISH)
    client.force_login(personas["executive"])
    assert "Overall score" in client.get(reverse("dashboard:latest")).content.decode()
    client.post(reverse("logout"))
    html = client.get(reverse("login")).content.decode()
    assert "Sign in to ITA Portal" in html


@pytest.mark.parametrize("value", ["fr", "xx", ""])
def test_an_unknown_cookie_value_gives_thai(value, client, db):
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: value})
    assert "เข้าสู่ระบบ ITA Portal" in client.get(reverse("login")).content.decode()


def test_a_regional_variant_of_english_gives_english(client, db):
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en-us"})
    assert "Sign in to ITA Portal" in client.get(reverse("login")).content.decode()


def test_pages_vary_on_the_cookie_for_caches(client, db):
    assert "Cookie" in client.get(reverse("login"))["Vary"]


def switch_of(html):
    """The language switch's form: its action, its hidden `next` and its buttons' languages."""
    form = re.search(r'<form method="post" action="([^"]+)" class="language-switch".*?</form>', html, re.S)
    assert form, "no language switch on the page"
    next_value = re.search(r'name="next" value="([^"]*)"', form.group(0)).group(1)
    return form.group(1), next_value, re.findall(r'name="language" value="(\w+)"', form.group(0))


def test_the_sign_in_page_has_the_switch(client, db):
    action, next_value, languages = switch_of(client.get(reverse("login") + "?next=/plan/").content.decode())
    assert action == reverse("set_language") and languages == ["th", "en"]
    assert next_value == "/accounts/login/?next=/plan/"


@pytest.mark.parametrize("persona, url", [
    ("staff", "/plan/2569/?status=late"), ("executive", "/dashboard/"), ("org_admin", "/assessments/"),
    ("org_admin", "/reports/"), ("staff", "/notifications/settings/"),
])
def test_every_page_has_the_switch_back_to_itself(persona, url, client_for, assessment):
    response = client_for(persona).get(url)
    _, next_value, languages = switch_of(response.content.decode())
    assert next_value == url and languages == ["th", "en"]


# The pages in English -------------------------------------------------------------------------


@pytest.fixture
def english_for(client_for):
    """english_for("staff") -> that persona's client with the English cookie."""

    def make(name):
        client = client_for(name)
        client.cookies.load(ENGLISH)
        return client

    return make


@pytest.fixture
def overseer(db):
    user = get_user_model().objects.create_user("korat_office", password="pw-for-tests-2569")
    OversightMembership.objects.create(user=user, province="นครราชสีมา")
    client = Client()
    client.force_login(user)
    return client


def page_of(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def assert_english(html, english, thai):
    for text in english:
        assert text in html, text
    for text in thai:
        assert text not in html, text


def test_the_sign_in_page_in_english(client, db):
    client.cookies.load(ENGLISH)
    assert_english(page_of(client, reverse("login")),
                   ["Sign in to ITA Portal", "Username", "Password", ">Sign in<"],
                   ["เข้าสู่ระบบ ITA Portal", "ชื่อผู้ใช้", "รหัสผ่าน"])


def test_a_wrong_password_is_refused_in_english(client, personas):
    client.cookies.load(ENGLISH)
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert "Wrong username or password" in response.content.decode()


def test_home_and_the_navigation_in_english(english_for, assessment):
    html = page_of(english_for("org_admin"), reverse("home"))
    assert_english(html, ["Improvement plan", "Dashboard", "Sign out", "Administrator", "Reminders"],
                   ["แผนพัฒนาองค์กร", "ออกจากระบบ", "ผู้ดูแลระบบ", "การแจ้งเตือน"])


def test_the_plan_in_english(english_for, assessment, palad):
    make_measure(assessment, [palad], status=Measure.Status.IN_PROGRESS, progress=40)
    html = page_of(english_for("staff"), reverse("measures:current"))
    assert_english(
        html,
        ["Improvement plan, fiscal year B.E. 2569", "Measure/project/activity", "Method", "Period",
         "Responsible", "In progress", "Indicator 9 Information disclosure", "Only rows I can edit"],
        ["แผนพัฒนาองค์กร ปีงบประมาณ", "วิธีการดำเนินการ", "ผู้รับผิดชอบ", "กำลังดำเนินการ",
         "เฉพาะแถวที่ฉันแก้ไขได้"],
    )
    # The organisation's own text stays as entered.
    assert "มาตรการทดสอบ" in html and "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล" in html


def test_the_dashboard_in_english_with_the_level_named_in_english(english_for, assessment):
    html = page_of(english_for("executive"), reverse("dashboard:latest"))
    assert_english(
        html,
        ["Overall score", "Results by indicator", "Did not reach Good pass because OIT 83.75 is below 85",
         ">Pass<", "Information disclosure", "Pass mark 85"],
        ["คะแนนภาพรวม", "ผลการประเมินรายตัวชี้วัด", "ไม่ถึงระดับ", "เกณฑ์ผ่าน", "การเปิดเผยข้อมูล"],
    )
    assessment.refresh_from_db()
    assert assessment.result.level.name == "ผ่าน"


def test_the_entry_page_in_english_stores_the_thai_level_name(english_for, assessment):
    client = english_for("org_admin")
    url = reverse("assessment_edit", args=[assessment.pk])
    html = page_of(client, url)
    assert_english(html, ["Paste the score table", "Published level", "Read table", '<option value="ผ่าน">Pass</option>'],
                   ["วางตารางคะแนน", "ระดับที่ประกาศ", "อ่านตาราง"])
    data = {f"score_{n}": str(s.score) for n, s in ((s.indicator.number, s) for s in assessment.scores.all())}
    response = client.post(url, {**data, "published_overall": "90.42", "published_level": "ผ่าน"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.published_level == "ผ่าน"


def test_the_check_page_in_english(english_for, assessment, palad):
    make_measure(assessment, [palad], number=9, analysis="ได้รับคะแนน ๙๗.๐๐ คะแนน")
    html = page_of(english_for("org_admin"), reverse("assessment_check", args=[assessment.pk]))
    assert_english(html, ["Data quality check of the 2568 results", "Why it matters:",
                          "quotes the score 97.00 but the score of indicator 9 is 82.50"],
                   ["ตรวจคุณภาพข้อมูล", "เหตุที่สำคัญ", "ผลการวิเคราะห์อ้างคะแนน"])


def test_the_oversight_view_in_english(overseer, assessment, reference):
    assessment.organisation.province = "นครราชสีมา"
    assessment.organisation.save(update_fields=["province"])
    overseer.cookies.load(ENGLISH)
    html = page_of(overseer, reverse("oversight:area"))
    assert_english(html, ["Organisations in the area", "นครราชสีมา Province", "Weakest indicator",
                          "Download Excel", "9 Information disclosure", ">Pass<"],
                   ["ภาพรวมหน่วยงานในพื้นที่", "ตัวชี้วัดที่อ่อนที่สุด", "ดาวน์โหลด Excel"])


def test_a_refusal_gives_its_reason_in_english(english_for, assessment, palad):
    measure = make_measure(assessment, [palad])
    response = english_for("executive").get(reverse("measures:edit", args=[measure.pk]))
    assert response.status_code == 403
    assert_english(response.content.decode(), ["Not allowed", "You may not edit this measure"],
                   ["ไม่มีสิทธิ์", "เฉพาะผู้ดูแลระบบ"])


def test_the_sign_in_record_in_english(english_for, assessment):
    html = page_of(english_for("org_admin"), reverse("sign_in_log"))
    assert_english(html, ["Sign-in record", "IP address", "Browser"], ["บันทึกการเข้าสู่ระบบ", "เบราว์เซอร์"])


def test_form_errors_in_english(english_for, assessment):
    response = english_for("org_admin").post(
        reverse("assessment_edit", args=[assessment.pk]), {"score_1": "101", "published_overall": "x"}
    )
    html = response.content.decode()
    assert "must not be above 100" in html and "ต้องไม่เกิน 100" not in html


def test_the_draft_plan_stays_thai_for_an_english_reader(seed):
    """Drafts become the organisation's plan text, which the check and the reports read."""
    client = Client()
    client.cookies.load(ENGLISH)
    client.force_login(make_user("seed_admin", seed, Membership.Role.ADMIN))
    a2568 = Assessment.objects.get(organisation=seed, fiscal_year=2568)
    response = client.get(reverse("measures:draft", args=[a2568.pk]))
    assert "Add the chosen drafts to the plan" in response.content.decode()
    drafts = [draft for draft, _form in response.context["cards"]]
    assert len(drafts) == 14  # eleven codes and three points without one
    assert all(draft.initial["period"] == "ปีงบประมาณ พ.ศ. ๒๕๖๙" for draft in drafts)
    assert all(draft.initial["analysis"].startswith("ได้รับคะแนน ") for draft in drafts)


# The printed reports and the downloads stay Thai ----------------------------------------------


@pytest.fixture
def planned(assessment, palad):
    make_measure(assessment, [palad], status=Measure.Status.NOT_STARTED)
    return assessment


def test_the_report_print_view_stays_thai_for_an_english_reader(english_for, planned):
    response = english_for("executive").get(reverse("reports:ita", args=[planned.pk]))
    html = response.content.decode()
    assert response["Content-Language"] == "th"
    assert_english(html, ["การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร", "ผลการประเมินภาพรวม", "ผ่าน",
                          "ไม่ถึงระดับผ่านดี เพราะ OIT", "การเปิดเผยข้อมูล", "พิมพ์เมื่อ"],
                   ["Using the ITA results", "Overall result", "Good pass", "Information disclosure", "Printed on"])


def test_the_progress_print_view_stays_thai_for_an_english_reader(english_for, planned):
    response = english_for("executive").get(reverse("reports:progress", args=[planned.pk]))
    html = response.content.decode()
    assert_english(html, ["รายงานความก้าวหน้าการดำเนินงานตามแผน", "ยังไม่เริ่ม", "ข้อมูล ณ วันที่"],
                   ["Progress report on the plan", "Not started", "as of"])
    assert not re.search(r"January|February|March|April|May|June|July|August|September|October|November|December", html)


@pytest.mark.parametrize("name", ["reports:ita_pdf", "reports:progress_pdf"])
def test_the_pdfs_are_rendered_in_thai_for_an_english_reader(name, english_for, planned, monkeypatch):
    """The language the PDF is drawn in, seen from inside the renderer (WeasyPrint itself is
    exercised by the report tests)."""
    from reports import reports

    seen = []

    def fake_pdf(*args, **kwargs):
        seen.append(translation.get_language())
        return b"%PDF-1.7"

    monkeypatch.setattr(reports, "ita_report_pdf", fake_pdf)
    monkeypatch.setattr(reports, "progress_report_pdf", fake_pdf)
    response = english_for("org_admin").get(reverse(name, args=[planned.pk]))
    assert response.status_code == 200 and seen == ["th"]


def test_the_excel_download_stays_thai_for_an_english_reader(english_for, planned):
    response = english_for("org_admin").get(reverse("reports:plan_xlsx", args=[planned.pk]))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("รหัส", "ตัวชี้วัด", "ผลการวิเคราะห์")
    assert "ยังไม่เริ่ม" in rows[1]


def test_the_public_downloads_stay_thai_and_the_public_page_follows_the_cookie(client, planned):
    planned.is_public = True
    planned.save(update_fields=["is_public"])
    client.cookies.load(ENGLISH)
    args = [planned.organisation_id, planned.fiscal_year_id]
    csv = client.get(reverse("public:data", args=[*args, "plan", "csv"])).content.decode("utf-8-sig")
    assert "ยังไม่เริ่ม" in csv and "Not started" not in csv
    page = client.get(reverse("public:page", args=args)).content.decode()
    assert "Improvement plan and progress" in page and "Information disclosure" in page
