"""Helpers for real-browser tests: an axe accessibility check that fails on serious or
critical violations, and sign-in through the real form."""

from axe_playwright_python.sync_playwright import Axe

from conftest import PASSWORD

BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def blocking_violations(page) -> list[str]:
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]


def assert_accessible(page) -> None:
    problems = blocking_violations(page)
    assert not problems, f"axe found serious or critical problems on {page.url}:\n" + "\n".join(problems)


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
