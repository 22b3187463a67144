"""One module per user journey; each exposes a blueprint `bp`."""
