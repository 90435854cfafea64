"""Page scripts, run by ``st.navigation`` from ``app.py``: thin, no business logic."""
