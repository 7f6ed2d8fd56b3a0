"""Pages every visitor has, whoever they are: the display preferences."""

from marshmallow import Schema, fields, validate

from gateway.cookies import LANGUAGES, THEMES, set_preferences_cookie
from gateway.pages.forms import FormRefused, form_of, load_form
from gateway.pages.navigation import PREFERENCES, safe_return_path
from gateway.pages.rendering import redirect
from gateway.pages.routing import page


class PreferencesForm(Schema):
    """The API's preferences and the page to go back to."""

    language = fields.String(validate=validate.OneOf(LANGUAGES))
    theme = fields.String(validate=validate.OneOf(THEMES))
    paluu = fields.String(load_default="/")


class SitePages:
    @page("POST", PREFERENCES)
    def change_preferences_page(self, request, visitor):
        try:
            chosen = load_form(PreferencesForm, form_of(request), visitor)
        except FormRefused:
            chosen = {"paluu": request.form.get("paluu")}
        back = safe_return_path(chosen.pop("paluu", None))
        preferences = {"language": visitor.language.code, "theme": visitor.theme, **chosen}
        response = redirect(visitor, back)
        set_preferences_cookie(response, preferences)
        return response
