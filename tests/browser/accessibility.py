"""The machine half of the WCAG 2.1 AA check: axe-core, as axe-playwright-python ships it.

Axe's source goes into the page with `page.evaluate`, which the page's CSP (`script-src 'self'`)
does not govern, so the audit sees the page exactly as served. Where the page's scripts are off
(`no_js_page`) axe's run never finishes, so such a page is refused at once: audit the same page
in a context with scripts on; progressive enhancement serves both the same HTML.
"""

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS}, "resultTypes": ["violations"]}
# HTML parsing puts a <noscript>'s content into the DOM only where scripting is off.
SCRIPTS_OFF = """() => {
    const probe = document.createElement("div");
    probe.innerHTML = "<noscript><p></p></noscript>";
    return probe.querySelector("noscript p") !== null;
}"""


def described(violations: list[dict]) -> str:
    """One paragraph a rule: its id, impact and help, then each failing node's target and what
    axe says to fix there."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"  {target}: {summary}")
        lines.append(f"  see {violation['helpUrl']}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fails with every WCAG 2.1 A/AA violation axe finds on the page as it is now."""
    if page.evaluate(SCRIPTS_OFF):
        raise ValueError(f"axe cannot run with the page's scripts off: audit {page.url} in `page`")
    violations = AXE.run(page, options=OPTIONS).response["violations"]
    assert not violations, (
        f"{len(violations)} accessibility rule(s) broken on {page.url}:\n{described(violations)}"
    )
