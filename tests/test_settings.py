"""Production settings, checked the way an operator starts the portal: a fresh process with DEBUG off."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kcity.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "portal.example.org",
            **extra,
        }
    )
    return env


def _manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_settings_pass_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "weak_key",
    [
        "only-thirty-characters-long-ok",  # shorter than 50
        "ab" * 40,  # long, but two distinct characters
        "django-insecure-" + secrets.token_urlsafe(48),  # what startproject writes for development
    ],
    ids=["short", "few-distinct-characters", "insecure-prefix"],
)
def test_settings_refuse_to_start_with_a_weak_secret_key_when_debug_is_off(weak_key):
    result = _manage("check", env=_production_env(DJANGO_SECRET_KEY=weak_key))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    assert weak_key not in result.stderr  # the refusal does not print the key


def test_a_weak_secret_key_is_accepted_in_the_embedded_debug_mode():
    result = _manage("check", env=_production_env(DJANGO_DEBUG="true", DJANGO_SECRET_KEY="short"))

    assert result.returncode == 0, result.stdout + result.stderr


def test_collectstatic_with_debug_off_writes_a_manifest(tmp_path):
    result = _manage("collectstatic", "--noinput", env=_production_env(STATIC_ROOT=str(tmp_path)))

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/portal.css"]
    assert hashed != "css/portal.css"
    assert (tmp_path / hashed).is_file()
    assert (tmp_path / f"{hashed}.gz").is_file()


@pytest.mark.parametrize("service", ["web", "worker", "beat", "postgres", "redis"])
def test_docker_compose_defines_each_service_with_a_health_check_or_dependency(service):
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    definition = compose["services"][service]

    if service in ("postgres", "redis", "web"):
        assert "healthcheck" in definition
    else:
        assert definition["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert definition["depends_on"]["redis"]["condition"] == "service_healthy"
    assert {"pgdata", "redisdata", "media"} <= set(compose["volumes"])


def test_architecture_doc_lists_every_workflow_move_and_no_other():
    from proposals.workflow import MOVES, Status

    text = (ROOT / "docs" / "architecture.md").read_text()
    documented = set(re.findall(r"^\| (\w+) \| (\w+) \| (owner|staff|committee) \|", text, flags=re.MULTILINE))

    in_code = {(m.source, m.target, m.actor) for m in MOVES if m.target != Status.WITHDRAWN}
    assert documented == {(str(s), str(t), a) for s, t, a in in_code}
