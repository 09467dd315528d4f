"""Stage 8: the web UI and JSON API over a store (FastAPI, Jinja2, uvicorn; `storylens serve`)."""
