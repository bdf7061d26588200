"""axe-core in a Playwright page: the WCAG 2.0/2.1/2.2 A and AA rules, and their violations.

axe-core is the npm package pinned in tests/e2e/package-lock.json (`make test` installs it with
`npm ci --prefix tests/e2e`). The script is injected from the file: the site's Content Security
Policy allows no inline script and no third-party origin, so `add_script_tag(path=...)` (which
inlines the file's text) is refused unless the page's context was opened with
`bypass_csp=True` -- the axe contexts of tests/e2e/test_axe.py are, and only those.
"""

from dataclasses import dataclass
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# axe files these under "best-practice", not a WCAG criterion, but a screen reader's list of
# landmarks is useless when two share a name (1.3.1 in spirit): they run too.
LANDMARK_RULES = [
    "landmark-unique",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
]


@dataclass(frozen=True)
class Exclusion:
    """A violation of `rule` on elements matching `selector` that the run ignores.

    Only for markup we cannot reasonably change (Wagtail's own admin); `reason` says why.
    """

    rule: str
    selector: str
    reason: str


@dataclass(frozen=True)
class Violation:
    """One axe rule broken on a page: its id, impact ("minor" to "critical"), help text and
    the CSS selectors of the offending nodes (one list per node, frames first)."""

    rule: str
    impact: str
    help: str
    targets: list[str]

    def describe(self) -> str:
        """One line per violation, for a test's failure message."""
        return f"{self.rule} [{self.impact}] {self.help}: {', '.join(self.targets)}"


def axe_installed() -> bool:
    """Whether `npm ci --prefix tests/e2e` has put axe-core where this module looks for it."""
    return AXE_JS.is_file()


def violations(page, *, exclusions: tuple[Exclusion, ...] = ()) -> list[Violation]:
    """Run axe on `page` (already loaded) with the WCAG A/AA rules and the landmark rules;
    return what it finds, less the nodes that match an exclusion of the same rule.

    Raises FileNotFoundError when axe-core is not installed, and Playwright's Error when the
    script cannot run (a CSP that the page's context does not bypass, typically).
    """
    if not axe_installed():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `npm ci --prefix tests/e2e`")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        """async ([tags, extra]) => {
            const rules = Object.fromEntries(extra.map(id => [id, {enabled: true}]));
            const result = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                rules,
                resultTypes: ["violations"],
            });
            return result.violations.map(v => ({
                rule: v.id,
                impact: v.impact || "",
                help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }""",
        [WCAG_AA_TAGS, LANDMARK_RULES],
    )
    found = []
    for result in results:
        targets = [
            target
            for target in result["targets"]
            if not _excluded(page, result["rule"], target, exclusions)
        ]
        if targets:
            found.append(Violation(**{**result, "targets": targets}))
    return found


def _excluded(page, rule: str, target: str, exclusions: tuple[Exclusion, ...]) -> bool:
    """Whether the node at `target` matches (or sits inside) an exclusion of `rule`."""
    for exclusion in exclusions:
        if exclusion.rule != rule:
            continue
        if page.evaluate(
            """([target, selector]) => {
                const node = document.querySelector(target);
                return Boolean(node && node.closest(selector));
            }""",
            [target, exclusion.selector],
        ):
            return True
    return False


def broken_references(page) -> list[str]:
    """What axe does not check: ids used twice on the page, and `aria-describedby`,
    `aria-labelledby`, `aria-controls` or `label[for]` naming an id the page lacks (a screen
    reader then reads nothing, silently). One line per problem, naming the element."""
    return page.evaluate(
        """() => {
            const problems = [];
            const seen = new Map();
            for (const el of document.querySelectorAll("[id]")) {
                seen.set(el.id, (seen.get(el.id) || 0) + 1);
            }
            for (const [id, count] of seen) {
                if (count > 1) problems.push(`id "${id}" used ${count} times`);
            }
            const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                + (el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "");
            for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls", "for"]) {
                for (const el of document.querySelectorAll(`[${attr}]`)) {
                    if (attr === "for" && el.tagName !== "LABEL") continue;
                    for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                        if (!document.getElementById(id)) {
                            problems.push(`${describe(el)} ${attr}="${id}": no such element`);
                        }
                    }
                }
            }
            return problems;
        }"""
    )
