"""Demo data: real AI copyright disputes, loaded by ``manage.py load_demo`` (see ``loader``).

The facts live in ``data/*.toml``, one file per dispute plus the shared organizations, people, products and sources.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# The primary dispute: ensure_demo_admin makes the demo admin follow it and own its letter.
CODA_DISPUTE_SLUG = "coda-v-openai-sora-2"
