"""The documentation pages hold together: every relative link and anchor resolves, the README keeps
its two set-up commands, and the tutorial still walks through every step of a two-party task."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ._markdown import steps

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$")


def anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    found: set[str] = set()
    in_code = False
    for line in page.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match:
            text = re.sub(r"[`*]", "", match.group(1)).lower()
            found.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_and_anchor_resolves(page: Path) -> None:
    for target in _LINK.findall(page.read_text()):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: link to {target} — {linked} does not exist"
        if anchor:
            assert anchor in anchors(linked), f"{page.name}: {linked.name} has no heading #{anchor}"


def test_the_readme_set_up_is_exactly_make_up_and_make_test() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make up", "make test"]


def test_the_readme_links_every_documentation_page() -> None:
    readme = (ROOT / "README.md").read_text()
    for page in (ROOT / "docs").glob("*.md"):
        assert f"(docs/{page.name})" in readme, f"README.md does not link docs/{page.name}"


def test_the_tutorial_covers_every_step_of_a_two_party_task() -> None:
    commands = [step.command for step in steps((ROOT / "docs" / "tutorial.md").read_text())]
    text = "\n".join(commands)
    for required in (
        "teahouse up --detach",
        "teahouse trust export",
        "teahouse login admin",
        "teahouse user register alice --role DataOwner",
        "teahouse user register bob --role DataOwner",
        "teahouse function register",
        "teahouse file encrypt",
        "teahouse data upload",
        "teahouse data register-input",
        "teahouse data register-output",
        "teahouse task create",
        "teahouse task assign",
        "teahouse task approve",
        "teahouse task invoke",
        "teahouse task wait",
        "teahouse data fetch $TASK output_result1",
        "teahouse data fetch $TASK output_result2",
        "teahouse down",
    ):
        assert required in text, f"docs/tutorial.md no longer runs `{required}`"
    assert commands.index("teahouse down") == len(commands) - 1
