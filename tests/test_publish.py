"""From a clean clone to a served site: the wheel, a fresh virtual environment, the database,
`datasette publish fly --generate-dir`, and its start command run locally.

Slow (it creates a virtual environment and installs the wheel into it), and the proof that
`pip install` and `datasette publish` give a working site on the Datasette line under test.
"""

import os
import re
import shlex
import subprocess
import sys
import time
import urllib.request
import venv
import tarfile
import zipfile
from xml.etree import ElementTree as ET

import datasette
import pytest

from .conftest import ROOT, SEEDS, free_port

pytestmark = pytest.mark.slow
ATOM = "{http://www.w3.org/2005/Atom}"


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)])
    return out


def test_wheel_and_sdist_carry_templates_and_static(dist):
    [wheel] = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("templates/briefs_base.html", "templates/briefs_article.html", "templates/briefs_story.html",
                   "templates/_briefs_macros.html", "static/briefs.css", "text/quotes.py", "build/loader.py",
                   "site/pages.py", "tables.py", "text/lexicons/given_names.txt", "entry_points.txt",
                   "licenses/LICENSE"):
        assert any(name.endswith(needed) for name in names), needed
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "[datasette]" in entry_points and "briefs-build" in entry_points
    [sdist] = dist.glob("*.tar.gz")
    members = tarfile.open(sdist).getnames()
    assert any(m.endswith("templates/briefs_person.html") for m in members)
    assert any(m.endswith("README.md") for m in members)
    assert any(m.endswith("/LICENSE") for m in members)


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode("utf-8")


def test_publish_fly_deployment_runs_locally_from_the_wheel(dist, tmp_path):
    # A fresh virtual environment with only the wheel and this Datasette line.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    [wheel] = dist.glob("*.whl")
    run([str(bin_dir / "pip"), "install", "-q", str(wheel), f"datasette=={datasette.__version__}"])
    plugins = run([str(bin_dir / "datasette"), "plugins"]).stdout
    assert '"name": "datasette-ukraine-briefs"' in plugins

    # The installed command builds the database.
    db = tmp_path / "briefs.db"
    run([str(bin_dir / "briefs-build"), str(db), str(SEEDS)])

    # The deployment folder, as `datasette publish fly` writes it.
    generated = tmp_path / "deploy"
    run([sys.executable, "-m", "datasette", "publish", "fly", str(db), "-m", str(ROOT / "metadata.yml"),
         "--app", "briefs-test", "--install", "datasette-ukraine-briefs==0.1.0", "--generate-dir", str(generated)])
    dockerfile = (generated / "Dockerfile").read_text()
    assert re.search(r"^RUN pip install .*datasette-ukraine-briefs==0\.1\.0", dockerfile, re.M)
    [start] = re.findall(r"^CMD (.*)$", dockerfile, re.M)
    assert "-i briefs.db" in start and "--metadata metadata.json" in start
    [inspect] = re.findall(r"^RUN (datasette inspect .*)$", dockerfile, re.M)

    # Run the Dockerfile's steps here, with the fresh environment's datasette.
    port = free_port()
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", PORT=str(port))
    run(shlex.split(inspect), cwd=generated, env=env)
    command = shlex.split(start.replace("$PORT", str(port)).replace("0.0.0.0", "127.0.0.1"))
    server = subprocess.Popen(command, cwd=generated, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                get(base + "/-/versions.json")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.1)
        status, home = get(base + "/")
        assert status == 200 and "Ukraine peace process briefs" in home
        article_id = get(base + "/briefs/articles.json?_shape=array&_size=1&_col=id")[1]
        article_id = re.search(r'"id": "([0-9a-f]+)"', article_id).group(1)
        status, article = get(f"{base}/-/briefs/briefs/article/{article_id}")
        assert status == 200 and 'class="briefs-body"' in article
        status, facets = get(base + "/briefs/articles.json?_facet_array=people&_extra=facet_results")
        assert status == 200 and "Keir Starmer" in facets
        status, canned = get(base + "/briefs/most_quoted_people.json?_shape=array")
        assert status == 200 and "keir-starmer" in canned
        status, feed = get(base + "/briefs/person_feed.atom?person=lord-dannatt")
        entries = ET.fromstring(feed).findall(f"{ATOM}entry")
        assert status == 200 and len(entries) == 3
    finally:
        server.terminate()
        server.wait(timeout=10)
