"""Every relative link in README.md and docs/*.md leads to a file that exists, and a link to a
heading of a Markdown file leads to a heading that exists (headings as GitHub makes their
anchors, for anchors written in ASCII)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE = re.compile(r"`[^`\n]*`")


def links(text):
    text = CODE.sub("", FENCE.sub("", text))
    return [m.group(1) for m in LINK.finditer(text)]


def anchors(path):
    """GitHub's anchors of a Markdown file's headings."""
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    found = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", "")).replace(" ", "-")
        found.add(slug)
    return found


def relative_links():
    for document in DOCUMENTS:
        for target in links(document.read_text(encoding="utf-8")):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#") and not target[1:]:
                continue
            yield document, target


@pytest.mark.parametrize(
    "document,target", list(relative_links()), ids=lambda value: str(value).replace(str(ROOT) + "/", "")
)
def test_relative_link_resolves(document, target):
    path_part, _, anchor = target.partition("#")
    path = (document.parent / path_part).resolve() if path_part else document
    assert path.exists(), f"{document.relative_to(ROOT)} links to {target}, which does not exist"
    if anchor and path.suffix == ".md" and anchor.isascii():
        assert anchor in anchors(path), f"{document.relative_to(ROOT)} links to {target}: no such heading"


def test_documents_are_found():
    """The parametrised test above cannot pass by finding no link at all."""
    assert len(DOCUMENTS) > 10
    assert sum(1 for _ in relative_links()) > 50


def test_no_issue_numbers():
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        assert not re.search(r"\bissues? \d+", text, re.I), f"{document.relative_to(ROOT)} names an issue number"
