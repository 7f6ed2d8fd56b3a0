"""The web pages: server-rendered HTML beside the JSON API (see README.md in this folder)."""
