"""Placeholder: feature blueprints are registered here."""

from flask import Flask


def register(app: Flask) -> None:
    pass
