"""``load_demo`` and ``ensure_demo_admin`` on an empty database: a dry run and bad data write nothing, and the
admin login works without the demo (tests/demo/test_demo.py has the loaded demo)."""

import shutil

import pytest

from disputes.demo import DATA_DIR
from disputes.demo.loader import REPORTED_MODELS, DemoDataError, demo_load
from disputes.models import Dispute, Organization
from tests.demo.commands import counts, printed_password, run

pytestmark = pytest.mark.django_db


def test_dry_run_writes_nothing():
    output = run("load_demo", dry_run=True)

    assert output.startswith("Dry run: nothing was written.")
    assert counts(output, "Dispute") == (14, 0)
    assert counts(output, "DemandLetter") == (6, 0)
    for model in REPORTED_MODELS:
        assert model.objects.count() == 0, model.__name__
    assert Dispute.history.count() == 0


def test_inconsistent_data_fails_loudly_and_writes_nothing(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    path = data_dir / "01-coda-v-openai.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'sources = [\n  "https://coda-cj.jp/news/2577",', 'sources = [\n  "https://unknown.example/x",', 1
        ),
        encoding="utf-8",
    )

    with pytest.raises(DemoDataError, match="unknown.example"):
        demo_load(data_dir=data_dir)

    assert Organization.objects.count() == 0


def test_ensure_demo_admin_with_an_explicit_password(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path

    output = run("ensure_demo_admin", username="boss", password="docker-demo-pass")

    assert printed_password(output) == "docker-demo-pass"
    assert client.login(username="boss", password="docker-demo-pass")
    assert printed_password(run("ensure_demo_admin", username="boss")) == "docker-demo-pass"


def test_ensure_demo_admin_can_keep_the_password_out_of_its_output(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    output = run("ensure_demo_admin", username="boss", password="docker-demo-pass", hide_password=True)
    assert "docker-demo-pass" not in output
    assert "not shown" in output
    assert client.login(username="boss", password="docker-demo-pass")
