"""The web front ends: the public chat (``web.chat``). ``app.py`` wires them to the QA pipeline."""
