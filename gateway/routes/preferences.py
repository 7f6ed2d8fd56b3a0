"""Display preferences (language and theme), kept in a cookie for a year (R-COOKIE-2).

Anyone may set them, logged in or not; they are the browser's, not an account's, so the
server keeps nothing and a change replaces what the cookie held.
"""

from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response

from gateway.cookies import (
    LANGUAGES,
    THEMES,
    clear_preferences_cookie,
    preferences_in,
    set_preferences_cookie,
)
from gateway.http import api, json_response
from gateway.request_input import load_body


class PreferencesSchema(Schema):
    language = fields.String(
        validate=validate.OneOf(LANGUAGES), metadata={"description": "fi, sv or en"}
    )
    theme = fields.String(
        validate=validate.OneOf(THEMES), metadata={"description": "system, light or dark"}
    )


class PreferenceRoutes:
    @api(
        "GET",
        "/api/preferences",
        summary="The browser's display preferences, or the defaults",
        response_schema=PreferencesSchema,
        tags=("preferences",),
    )
    def preferences(self, request):
        return PreferencesSchema().dump(preferences_in(request.cookies))

    @api(
        "PUT",
        "/api/preferences",
        summary="Change display preferences; the cookie lasts a year",
        request_schema=PreferencesSchema,
        response_schema=PreferencesSchema,
        tags=("preferences",),
    )
    def change_preferences(self, request):
        changed = {**preferences_in(request.cookies), **load_body(request, PreferencesSchema)}
        response = json_response(PreferencesSchema().dump(changed))
        set_preferences_cookie(response, changed)
        return response

    @api(
        "DELETE",
        "/api/preferences",
        summary="Forget display preferences (the cookie is removed)",
        status=204,
        tags=("preferences",),
    )
    def forget_preferences(self, request):
        response = Response(status=204)
        clear_preferences_cookie(response)
        return response
