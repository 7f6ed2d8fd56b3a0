"""The administrator's forms as the API takes them, and the services' refusals in words.

A browser sends text: a date input's day becomes the instant the API takes; the contract's
schema then decides as it does for the API.
"""

from datetime import date, datetime, time, timedelta

from gateway.pages.forms import FormRefused, load_form
from gateway.pages.i18n import HELSINKI
from gateway.pages.navigation import N_
from services.contracts.errors import Conflict, DomainError

LOGIN_CHOICE = "toimi"
ENABLE, UNTIL, FOREVER = "enable", "until", "forever"

# The services' refusals an administrator meets on these pages, explained so that they can act;
# any other refusal is said as the field errors' catalog says it.
REFUSAL_WORDS = {
    "This is the last active administrator; appoint another one first.": N_(
        "Tämä on ainoa käytössä oleva ylläpitäjä. Anna ensin jollekin toiselle ylläpitäjän "
        "rooli. Sen jälkeen voit vaihtaa tämän henkilön roolin tai estää hänen kirjautumisensa."
    ),
    "This username is taken.": N_(
        "Käyttäjätunnus on jo käytössä, eikä käytettyä tunnusta anneta uudelleen. Valitse toinen."
    ),
    "Required for subscriber contacts.": N_("Valitse tilaaja, jonka yhteyshenkilö henkilö on."),
    "In the past.": N_("Valitse päivä, joka on tämän päivän jälkeen."),
    "The booking is not waiting for an eligibility decision.": N_(
        "Varaus ei enää odota päätöstä: joku toinen ehti päättää siitä, tai odotusaika päättyi "
        "ja varaus peruttiin."
    ),
}
NOT_A_DAY = N_("Anna päivä, joka on kalenterissa, muodossa vvvv-kk-pp.")
DAY_FIELDS = ("from", "to", "disabled_until")
UNTIL_MISSING = N_("Anna päivä, tai estä kirjautuminen pysyvästi.")


def explained(exc: DomainError, visitor, field: str = "_form") -> FormRefused:
    """A service's refusal as form errors, in words: at the fields it names that the form has
    (`disabled` is the login form's choice, `toimi`), else at `field`."""
    problems = exc.fields or {field: [exc.message]}
    errors = {}
    for name, messages in problems.items():
        message = messages[0] if isinstance(messages, list) and messages else str(messages)
        words = REFUSAL_WORDS.get(message)
        name = LOGIN_CHOICE if name == "disabled" else name
        errors[name] = visitor._(words) if words else visitor.language.field_error(message)
    return FormRefused(errors)


def refused(exc: Exception, visitor, field: str = "_form") -> tuple[dict, int]:
    """A refused form's errors and status: 409 when the service met a conflict, else 422."""
    if isinstance(exc, FormRefused):
        return exc.errors, 422
    return explained(exc, visitor, field).errors, (409 if isinstance(exc, Conflict) else 422)


def load_with_days(schema, data: dict, visitor) -> dict:
    """`load_form`, with a date input's error in days: the schema takes an instant and would
    speak of a date and a time, which the person never gave."""
    try:
        return load_form(schema, data, visitor)
    except FormRefused as refusal:
        errors = {
            name: visitor._(NOT_A_DAY) if name in DAY_FIELDS else message
            for name, message in refusal.errors.items()
        }
        raise FormRefused(errors) from None


def helsinki_midnight(day: date) -> str:
    return datetime.combine(day, time(0), HELSINKI).isoformat()


def day_as_instant(text: str | None, days_later: int = 0) -> str | None:
    """A date input's `YYYY-MM-DD` as the start of that Helsinki day (`days_later` days on);
    anything else is passed on as it is, for the schema to refuse."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return helsinki_midnight(day + timedelta(days=days_later))


def login_change(posted: dict, visitor) -> dict:
    """The login form's choice as the PATCH fields `disabled` and `disabled_until`.

    Login opens again at the start of the day given. A choice of "until" without a day is
    refused here: the API reads a disabling without `disabled_until` as "for good".
    """
    choice = posted.get(LOGIN_CHOICE)
    if choice == ENABLE:
        return {"disabled": False}
    if choice == FOREVER:
        return {"disabled": True}
    if not posted.get("disabled_until"):
        raise FormRefused({"disabled_until": visitor._(UNTIL_MISSING)})
    return {"disabled": True, "disabled_until": day_as_instant(posted["disabled_until"])}


def login_state(account: dict, now: datetime) -> str:
    """`enable` (login works), `until` (disabled until `disabled_until`) or `forever`."""
    if account.get("disabled_permanently"):
        return FOREVER
    until = account.get("disabled_until")
    if until and datetime.fromisoformat(until) > now:
        return UNTIL
    return ENABLE


def logins_of(accounts: list[dict], now: datetime) -> dict[str, str]:
    """Each listed account's `login_state`, by id."""
    return {account["id"]: login_state(account, now) for account in accounts}
