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


SHOW_STORAGE_AND_SESSIONS = """
import json, sys
import django
django.setup()
from django.conf import settings
print(json.dumps({"storage": settings.STORAGES["default"], "sessions": settings.SESSION_ENGINE,
                  "storages_imported": "storages" in sys.modules or "boto3" in sys.modules}))
"""


def _storage_and_sessions(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_", "REDIS_", "AWS_"))}
    shown = subprocess.run([sys.executable, "-c", SHOW_STORAGE_AND_SESSIONS], cwd=ROOT, capture_output=True,
                           text=True, timeout=120, env={**base, "DJANGO_SETTINGS_MODULE": "kcity.settings", **env})
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout.strip().splitlines()[-1])


def test_embedded_mode_keeps_uploads_in_the_private_folder_and_sessions_in_the_database():
    shown = _storage_and_sessions()

    assert shown["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert shown["sessions"] == "accounts.sessions"
    assert shown["storages_imported"] is False


def test_scaled_out_uploads_go_to_a_private_s3_bucket_and_sessions_to_redis_backed_by_the_database():
    shown = _storage_and_sessions(REDIS_URL="redis://127.0.0.1:6379/9", AWS_STORAGE_BUCKET_NAME="kcity-uploads",
                                  AWS_S3_ENDPOINT_URL="https://s3.internal.example:9000")

    assert shown["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert shown["storage"]["OPTIONS"]["bucket_name"] == "kcity-uploads"
    assert shown["storage"]["OPTIONS"]["endpoint_url"] == "https://s3.internal.example:9000"
    assert shown["storage"]["OPTIONS"]["default_acl"] == "private"
    assert shown["storage"]["OPTIONS"]["file_overwrite"] is False
    assert shown["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert shown["storages_imported"] is False  # settings name the backend; Django imports it on first use


def test_static_file_urls_are_the_manifests_and_each_is_worked_out_once(tmp_path, settings):
    from core.static_files import PortalStaticFilesStorage

    settings.STATIC_ROOT = str(tmp_path)
    (tmp_path / "staticfiles.json").write_text(json.dumps(
        {"paths": {"css/portal.css": "css/portal.0123abcd.css"}, "version": "1.1", "hash": "0123"}))
    storage = PortalStaticFilesStorage(location=str(tmp_path), base_url="/static/")

    first = storage.url("css/portal.css")
    storage.hashed_files["css/portal.css"] = "css/portal.changed.css"  # as if looked up again: it is not
    again = storage.url("css/portal.css")

    assert first == again == "/static/css/portal.0123abcd.css"
    assert storage.url("css/portal.css", force=True) == "/static/css/portal.changed.css"
    for _ in range(2):  # a name the manifest lacks is refused each time, never remembered
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
