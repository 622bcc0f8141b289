"""app.workbench"""
