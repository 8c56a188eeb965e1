"""docker-compose.yml runs the full stack from one image; the deploy files agree with the settings."""

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_redis_web_worker_and_beat_from_one_image():
    services = _compose()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "sweeper", "beat"}
    images = {services[name]["image"] for name in ("web", "worker", "sweeper", "beat")}
    assert images == {"ai-disputes:latest"}
    # Deliveries and the deadline sweep have their own queues and workers: a backlog never holds up the sweep.
    assert "--queues=celery" in services["worker"]["command"]
    assert "--queues=sweep" in services["sweeper"]["command"]
    for name in ("web", "worker", "sweeper", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_compose_has_health_checks_and_named_volumes():
    compose = _compose()
    for name in ("postgres", "redis", "web", "worker", "sweeper"):
        assert compose["services"][name]["healthcheck"]["test"], name
    assert set(compose["volumes"]) == {"postgres-data", "redis-data", "app-var"}
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]
    assert "/healthz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])


def test_compose_file_passes_docker_compose_config_where_available():
    """CI has docker-compose; elsewhere the structural checks above still hold."""
    command = shutil.which("docker-compose")
    if command is None:
        assert _compose()["services"]["beat"]["command"][:3] == ["celery", "-A", "config"]
        return
    env = {**os.environ, "DJANGO_SECRET_KEY": "p7Vw-3kQz_9XbLr2NfT8mYcH4sJd6GaE1uKo0WqZiRx5vBnMtPyCe"}
    result = subprocess.run(
        [command, "config", "-q"], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 0, result.stderr
    # Without a secret key of its own the stack refuses to start rather than use a known one.
    env.pop("DJANGO_SECRET_KEY")
    refused = subprocess.run(
        [command, "config", "-q"], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env
    )
    assert refused.returncode != 0


def test_compose_creates_no_demo_superuser_unless_asked_and_never_prints_its_password():
    web = _compose()["services"]["web"]
    command = web["command"]
    assert web["environment"]["DEMO_ADMIN_PASSWORD"] == "${DEMO_ADMIN_PASSWORD:-}"
    # Only inside the opt-in branch, and with the password hidden from the logs.
    before, _sep, branch = command.partition("if [ -n")
    assert "ensure_demo_admin" not in before and "load_demo" not in before
    assert branch.lstrip().startswith(r"\"$$DEMO_ADMIN_PASSWORD\" ]; then")
    assert "ensure_demo_admin" in branch and "--hide-password" in branch
    assert "change-me" not in (ROOT / "docker-compose.yml").read_text()


def test_compose_trusts_no_forwarded_proto_by_default():
    env = _compose()["services"]["web"]["environment"]
    assert env["DJANGO_BEHIND_PROXY"] == "${DJANGO_BEHIND_PROXY:-false}"


def test_gunicorn_access_log_never_writes_the_address():
    namespace: dict = {}
    exec((ROOT / "config" / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 - our own config file
    log_format = namespace["access_log_format"]
    for atom in ("%(r)s", "%(U)s", "%(q)s", "%(f)s", "%({raw_uri}e)s"):
        assert atom not in log_format
    assert "gunicorn -c config/gunicorn.conf.py" in _compose()["services"]["web"]["command"]
    assert '"-c", "config/gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()


def test_make_run_consumes_the_sweep_queue():
    procfile = (ROOT / "Procfile").read_text()
    assert (
        "--queues=sweep" in procfile and "--queues=celery" in procfile and "celery -A config beat" in procfile
    )
