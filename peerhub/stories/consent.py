"""The consent a storyteller gives, worded once: the form shows this text and the story keeps
it, with the choices made and the time, as the record of what was agreed."""

CONSENT_STATEMENT = (
    "I agree that the Peer Support Hub may keep my story and publish it as I have chosen below, after a "
    "moderator has checked it and removed anything that could identify me or other people. I understand "
    "that I can withdraw my story at any time using the private link emailed to me, and that withdrawing "
    "removes it from the hub and erases what I wrote."
)
VISIBILITY_WORDS = {
    "open": "publish openly, for anyone to read",
    "signed_in": "publish only to health and care professionals signed in to the hub",
}


def consent_record(*, visibility: str, is_named: bool, open_data: bool, under_16: bool) -> str:
    """The statement and each choice in words. It never repeats the storyteller's name or email,
    so it holds nothing personal."""
    choices = [
        f"Where: {VISIBILITY_WORDS[visibility]}.",
        "Name: shown with the story." if is_named else "Name: anonymous.",
        "Open data: may be included in open-data exports." if open_data else "Open data: not included.",
    ]
    if under_16:
        choices.append("Under 16: a parent or guardian has agreed; a moderator confirms before publication.")
    return CONSENT_STATEMENT + "\n" + "\n".join(choices)
