"""Dichtbij search library: documents, backends, embedder, triage. Never imports flask or webapp."""
