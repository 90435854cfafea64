"""Streamlit building blocks shared by the page scripts (the pages stay thin)."""
