"""Settings per environment: safe defaults, and production refusing an unsafe configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "p7Vw-3kQz_9XbLr2NfT8mYcH4sJd6GaE1uKo0WqZiRx5vBnMtPyCe"


def _load_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    clean_env.update(env)
    clean_env["DJANGO_SETTINGS_MODULE"] = module
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL.split(':')[0])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean_env, capture_output=True, text=True, timeout=60
    )


def test_local_defaults_need_no_server(tmp_path):
    result = _load_settings("config.settings.local", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3", "filesystem"]


def test_environment_switches_to_postgres_and_redis(tmp_path):
    result = _load_settings(
        "config.settings.local",
        VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://u@db.example:5432/disputes",
        CELERY_BROKER_URL="redis://broker.example:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.postgresql", "redis"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY must be set"),
        # Long enough, but 36 copies of one letter (and 50 of one): Django's own rules refuse it.
        ({"DJANGO_SECRET_KEY": "a" * 36}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "k" * 60}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + STRONG_KEY}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must be off"),
    ],
)
def test_production_refuses_unsafe_configuration(tmp_path, env, message):
    result = _load_settings("config.settings.production", VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_secret_key_and_debug_off(tmp_path):
    result = _load_settings("config.settings.production", VAR_DIR=str(tmp_path), DJANGO_SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def _run(module: str, code: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    clean_env.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean_env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": STRONG_KEY,
            "VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_sends_hsts_and_trusts_the_proxy_header_only_behind_a_proxy(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)"
    )
    direct = _run("config.settings.production", code, VAR_DIR=str(tmp_path), DJANGO_SECRET_KEY=STRONG_KEY)
    assert direct.returncode == 0, direct.stderr
    assert direct.stdout.split() == ["31536000", "True", "None"]
    proxied = _run(
        "config.settings.production",
        code,
        VAR_DIR=str(tmp_path),
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_BEHIND_PROXY="true",
    )
    assert proxied.returncode == 0, proxied.stderr
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in proxied.stdout
