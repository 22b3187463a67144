"""Dichtbij search library: a question in, its route and the fitting voorzieningen out (search.matcher).

Never imports flask or webapp (tests/search/test_imports.py); webapp/searching.py wires it to the app.
"""
