"""Where the project's own files live (schemas, templates, base MkDocs config)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = PROJECT_ROOT / "schemas"
TEMPLATE_DIR = PROJECT_ROOT / "site_templates"
MKDOCS_BASE = PROJECT_ROOT / "mkdocs.yml"
