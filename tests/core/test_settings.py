"""Settings are read from the environment; run Django in a child process to see them."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Qp2vR9sT4wY6zA8cE1gJ3kM5nP7rU9wB2dF4hK6mQ8sV0xZ-prod-secret-key",
    "ALLOWED_HOSTS": "crampcourse.example.org",
}


def manage(*args, env):
    child_env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    child_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_with_debug_off_and_no_secret_key():
    result = manage("check", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_deploy_check_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_refuses_the_placeholder_key_we_ship():
    shipped = next(
        line.partition("=")[2]
        for line in (BASE_DIR / "deploy" / "crampcourse.env").read_text().splitlines()
        if line.startswith("SECRET_KEY=")
    )
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV | {"SECRET_KEY": shipped}
    )
    assert result.returncode != 0
    assert "crampcourse.E001" in result.stderr
    assert "placeholder" in result.stderr


def test_deploy_check_refuses_a_short_key():
    short = {"SECRET_KEY": "Zk3-short-but-random-9Qw"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV | short)
    assert result.returncode != 0
    assert "crampcourse.E002" in result.stderr


def test_production_cookies_are_secure_and_https_is_enforced():
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = manage("shell", "--no-imports", "-c", script, env=PRODUCTION_ENV)
    assert result.stdout.split()[-5:] == ["True"] * 5, result.stdout + result.stderr
