"""A new password given twice, and the rules a new password must pass, shown before sending.

The accounts service decides whether a password is good enough (`password_problems`); the page
only lists the same rules so that nobody has to guess them, and checks that the two copies match,
which is a question of the form, not of the password.
"""

from services.contracts.fields import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

MISSING = "Missing data for required field."


def password_rules(visitor) -> list[str]:
    return [
        visitor._(
            "Vähintään %(min)s ja enintään %(max)s merkkiä.",
            min=PASSWORD_MIN_LENGTH,
            max=PASSWORD_MAX_LENGTH,
        ),
        visitor._("Ei mikään yleisesti käytetyistä salasanoista."),
        visitor._("Ei sisällä käyttäjätunnustasi eikä sähköpostiosoitettasi."),
    ]


def repeat_errors(password: str | None, again: str | None, again_field: str, visitor) -> dict:
    """An error at `again_field` when a password was given but its second copy differs."""
    if password is None:
        return {}
    if again is None:
        return {again_field: visitor.language.field_error(MISSING)}
    if again != password:
        return {
            again_field: visitor._("Salasanat eivät ole samat. Kirjoita sama salasana molempiin.")
        }
    return {}
