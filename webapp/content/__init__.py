"""The content model: Markdown entries with YAML front matter, validated with editor-friendly messages.

Importable without Flask: the CLI, the app and the tests share it.
"""

from .loader import ContentSet, load_content
from .models import Entry, GemeenteInfo, Problem

__all__ = ["ContentSet", "Entry", "GemeenteInfo", "Problem", "load_content"]
