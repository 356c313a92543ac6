"""Serve the app under gunicorn, with production settings, against a database of its own."""

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bench.servers import BASE_DIR, production_env, scratch_database, set_up_site, start_gunicorn


class Server:
    def __init__(self, env, url):
        self.env = env
        self.url = url

    def python(self, script, *args):
        """Run a script of ours against the server's database; its standard output."""
        result = subprocess.run(
            [sys.executable, script, *args],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
        return result.stdout


@pytest.fixture(scope="session")
def gunicorn_server(tmp_path_factory):
    """A production-like server (DEBUG off, 4 workers) with the course and 30 trainees."""
    tmp_path = tmp_path_factory.mktemp("load")
    database_url, _, drop = scratch_database(
        f"crampcourse_load_{uuid.uuid4().hex[:8]}", Path(tmp_path) / "load.sqlite3"
    )
    env = production_env(database_url, tmp_path / "static")
    try:
        set_up_site(env, "--groups", "1", "--trainees-per-group", "30")
        process, url = start_gunicorn(env, workers=4)
        try:
            yield Server(env, url)
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        drop()
