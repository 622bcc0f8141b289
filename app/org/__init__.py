"""app.org"""
