"""The routes about the site itself: robots.txt and the OpenAPI document."""

from werkzeug.wrappers import Response

from gateway.http import api
from gateway.openapi import openapi_document

ROBOTS_TXT = "User-agent: *\nDisallow: /\n"


class MetaRoutes:
    @api("GET", "/robots.txt", summary="Keeps the site out of search engines")
    def robots_txt(self, request):
        return Response(ROBOTS_TXT, mimetype="text/plain")

    @api("GET", "/api/openapi.json", summary="This document")
    def openapi_json(self, request):
        return openapi_document(type(self))
