"""Staff looking at the public site while signed in: the same Content-Security-Policy as visitors,
and Wagtail's userbar and its accessibility checker still work under it."""

import pytest
from playwright.sync_api import expect

from partnership.security import PUBLIC_CONTENT_SECURITY_POLICY
from tests.browser.test_journeys import person_in, sign_in_to_the_admin

pytestmark = pytest.mark.browser

# Registered before any page script runs: every refusal by the policy is recorded on the page.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def test_the_userbar_and_its_checker_work_under_the_visitors_policy(open_page):
    person_in("Editors", "editor", "Edith", "Editor")
    page = open_page(None)
    page.context.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    sign_in_to_the_admin(page, "editor")

    response = page.goto("/framework/")
    assert response.headers["content-security-policy"] == PUBLIC_CONTENT_SECURITY_POLICY
    assert response.headers["cache-control"] == "private, no-store"

    trigger = page.get_by_role("button", name="View Wagtail quick actions")
    expect(trigger).to_be_visible()
    trigger.click()
    expect(page.get_by_role("menuitem", name="Edit this page")).to_be_visible()
    page.get_by_role("menuitem", name="Checks").click()
    expect(page.get_by_role("dialog", name="Warnings")).to_be_visible()

    assert page.evaluate("window.cspViolations") == []
    assert [text for text in console if "Content Security Policy" in text] == []
